"""Database search helpers shared by the apps' type-ahead searches."""

from django.db.models import Func, TextField


class Fold(Func):
    """Lower case without accents, in the database: `kartotek_fold(text)`
    (accounts migration 0004), so "SØRENSEN", "Sorensen" and "sørensen" compare equal.
    Immutable, so it can feed generated columns and indexes, and a constant argument is
    folded once when the query is planned."""

    function = "kartotek_fold"
    output_field = TextField()
