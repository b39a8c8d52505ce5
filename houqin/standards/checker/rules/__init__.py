"""Rule modules, one per family of DOMAIN.md's table; importing this package registers
them all."""

from houqin.standards.checker.rules import (  # noqa: F401
    contents,
    elements,
    foreword,
    lists,
    numbering,
    quantities,
    references,
    terms,
    verbs,
    verifiable,
)
