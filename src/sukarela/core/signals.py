"""Events one app announces and others act on, so an app never reaches into a later stage's code."""

from django.dispatch import Signal

# Sent inside the transaction that erased a person's account data (UU PDP withdrawal of consent):
# `user` is the account, already blanked. Receivers erase the copies their app keeps.
account_erased = Signal()
