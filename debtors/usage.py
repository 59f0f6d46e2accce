"""Who uses a debtor, told by the apps that point at debtors (debtors imports none of them).

customers registers, from its AppConfig.ready():

    from debtors.usage import register_debtor_users
    register_debtor_users(customers_paid_for)   # debtor -> list of DebtorUser

A debtor with users cannot be deleted, and its page lists them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from debtors.models import Debtor


@dataclass(frozen=True)
class DebtorUser:
    label: str  # e.g. "Anna Jensen (1001)"
    url: str
    role: str  # e.g. "debtor", "secondary debtor"


_providers: list[Callable[[Debtor], list[DebtorUser]]] = []
_activation_policy: list[Callable[[], bool]] = []


def register_debtor_users(provider: Callable[[Debtor], list[DebtorUser]]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def debtor_users(debtor: Debtor) -> list[DebtorUser]:
    return [user for provider in _providers for user in provider(debtor)]


def register_activation_policy(policy: Callable[[], bool]) -> None:
    """`policy()` says whether a debtor must be ticked "can be shared" to be shared."""
    _activation_policy[:] = [policy]


def activation_required() -> bool:
    return any(policy() for policy in _activation_policy)
