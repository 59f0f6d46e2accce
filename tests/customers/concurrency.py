"""Run a function in several threads at once, each on its own database connection."""

import threading

from django.db import connection


def run_at_once(function, arguments: list) -> list:
    """Call function(argument) for each argument in its own thread, all released together.

    Returns one result per argument: the return value, or the exception raised.
    """
    barrier = threading.Barrier(len(arguments))
    results: list = [None] * len(arguments)

    def worker(index, argument):
        try:
            barrier.wait()
            results[index] = function(argument)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()  # each thread opened its own connection

    threads = [
        threading.Thread(target=worker, args=(index, argument))
        for index, argument in enumerate(arguments)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
