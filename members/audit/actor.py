"""Who is acting: the request's user, "task:<name>" inside a Celery task, else
"system" (management commands, the shell). Kept in a context variable set by
members.middleware.AuditContextMiddleware and by the Celery task signals."""

import contextvars
from contextlib import contextmanager

_actor = contextvars.ContextVar("chibo_audit_actor", default=None)
_task_tokens = {}  # task id → the context token to restore when it ends


@contextmanager
def acting(actor):
    """Run a block as `actor`: a request (its user), or a label like "task:x"."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor():
    """(user id or None, label) of whoever is writing now."""
    value = _actor.get()
    if value is None:
        return None, "system"
    if isinstance(value, str):
        return None, value
    user = getattr(value, "user", None)
    if user is not None and user.is_authenticated:
        return user.pk, user.get_username()[:150]
    return None, "anonymous"


def task_started(task_id=None, task=None, **kwargs):
    """Celery task_prerun receiver: the task is the actor while it runs."""
    label = f"task:{getattr(task, 'name', '?')}"[:150]
    _task_tokens[task_id] = _actor.set(label)


def task_finished(task_id=None, **kwargs):
    """Celery task_postrun receiver: give the actor back."""
    # Restore what was there: a task run eagerly inside a request gives the
    # request its user back.
    token = _task_tokens.pop(task_id, None)
    try:
        if token is not None:
            _actor.reset(token)
    except ValueError:  # set in another context
        _actor.set(None)
