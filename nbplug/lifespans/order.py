"""Set-up order: dependencies first, otherwise the order lifespans were given in."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from .errors import LifespanDependencyError


def setup_order(
    batch: Sequence[str], depends_on: Mapping[str, Sequence[str]], running: Collection[str] = ()
) -> list[str]:
    """Order ``batch`` so each name comes after the dependencies it starts with.

    A dependency must be in ``batch`` or already ``running``; otherwise, or on a cycle,
    LifespanDependencyError says which lifespan needs what.
    """
    in_batch = set(batch)
    ordered: list[str] = []
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in done:
            return
        if name in trail:
            cycle = " → ".join((*trail[trail.index(name) :], name))
            raise LifespanDependencyError(f"Circular lifespan dependency: {cycle}")
        for dep in depends_on.get(name, ()):
            if dep in running and dep not in in_batch:
                continue
            if dep not in in_batch:
                given = ", ".join(sorted(in_batch | set(running))) or "none"
                raise LifespanDependencyError(
                    f"Lifespan {name!r} depends on {dep!r}, which is neither running nor being "
                    f"started (given: {given}). Start {dep!r} too, before or with {name!r}."
                )
            visit(dep, (*trail, name))
        done.add(name)
        ordered.append(name)

    for name in batch:
        visit(name, ())
    return ordered


def dependents_of(
    names: Collection[str], depends_on: Mapping[str, Sequence[str]], candidates: Collection[str]
) -> set[str]:
    """``names`` plus every candidate that depends on one of them, directly or not."""
    result = set(names)
    changed = True
    while changed:
        changed = False
        for cand in candidates:
            if cand not in result and any(d in result for d in depends_on.get(cand, ())):
                result.add(cand)
                changed = True
    return result
