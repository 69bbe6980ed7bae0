"""Deprecation helpers, a drop-in replacement for debtcollector 3.x.

Swap ``from debtcollector import removals`` for
``from oslo_incubator.deprecation import removals`` (likewise ``moves``,
``renames``, ``updating`` and :func:`deprecate`): names, parameters, defaults,
warning categories, message texts and ``stacklevel`` semantics are the same.
On top of that every deprecated object carries a PEP 702 ``__deprecated__``
attribute; :mod:`oslo_incubator.deprecation.fixtures` plus the
``OSLO_INCUBATOR_DEPRECATION_STRICT`` environment variable can silence these
warnings or turn them into errors; and strict mode also refuses, when decorating, a
``removal_version`` that cannot be ordered (neither PEP 440 nor a release series, see
:mod:`oslo_incubator.deprecation.versions`). Outside strict mode every value
debtcollector accepts is accepted.

Only the standard library is imported, so the helpers can be used from any
module, including ones that are themselves on their way out.
"""

from __future__ import annotations

from oslo_incubator.deprecation import _utils

__all__ = ["deprecate"]


def deprecate(
    prefix: str,
    postfix: str | None = None,
    message: str | None = None,
    version: str | None = None,
    removal_version: str | None = None,
    stacklevel: int = 3,
    category: type[Warning] = DeprecationWarning,
) -> None:
    """Emit a deprecation warning built from the usual message parts.

    The message reads ``<prefix>[ in version '<version>'][ and will be removed
    in version '<removal_version>'][<postfix>][: <message>]``; a
    ``removal_version`` of ``'?'`` reads "and will be removed in a future
    version".

    :param prefix: start of the message, e.g. ``"Calling frobnicate()"``
    :param postfix: text appended after the version parts
    :param message: text appended last, after a colon
    :param version: version the deprecation was introduced in
    :param removal_version: version or release series the thing goes away in, or ``'?'``
    :param stacklevel: as for :func:`warnings.warn`, counted so that the
        default of 3 points at the line calling :func:`deprecate` (use 4 to
        point at the caller of the function that calls it)
    :param category: warning category, :class:`DeprecationWarning` by default
    :raises ValueError: in strict mode, if ``removal_version`` cannot be ordered
    """
    out_message = _utils.build_message(
        prefix,
        postfix=postfix,
        message=message,
        version=version,
        removal_version=removal_version,
    )
    _utils.emit(out_message, _utils.default_category(category), stacklevel)
