"""``factdb entity``: add, list, show, edit, alias, role, delete, merge."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from factdb.cli import common
from factdb.cli.common import (
    App,
    Choice,
    WrongCall,
    echo,
    format_option,
    limit_option,
    limited,
    pass_app,
    require_a_change,
)
from factdb.cli.completion import entity_names
from factdb.cli.prompting import ask, choose_entity, created_messages
from factdb.entities import (
    ENTITY_COLUMNS,
    add_alias,
    add_entity,
    add_role,
    delete_entity,
    edit_entity,
    entity_or_create,
    entity_record,
    entity_rows,
    merge_entities,
    remove_alias,
    remove_role,
)
from factdb.errors import InvalidInput
from factdb.render import render_listing, render_record
from factdb.resolver import find_entity
from factdb.vocab import ENTITY_KINDS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from factdb.models import Entity


@click.group()
def entity() -> None:
    """People, organizations, governments, armed groups and media outlets.

    \b
    Example:
      factdb entity add "Iran" --kind government --alias Tehran
      factdb entity list --kind person --format csv
    """


@entity.command("add")
@click.argument("name", required=False)
@click.option("--kind", type=Choice(ENTITY_KINDS), help="What the entity is.")
@click.option("--alias", "aliases", multiple=True, help="Another name (repeatable).")
@click.option("--role", help="A role held, e.g. \"US Secretary of Defense\".")
@click.option("--of", "role_of", metavar="NAME", help="The organization of --role.")
@click.option("--from", "role_from", metavar="DATE", help="Start of --role: YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--until", "role_until", metavar="DATE", help="End of --role.")
@click.option("--part-of", metavar="NAME", help="The entity this one belongs to.")
@click.option("--note")
@click.option("--create", is_flag=True, help="Create an unknown --of or --part-of entity (as an organization).")
@pass_app
def add(
    app: App,
    name: str | None,
    kind: str | None,
    aliases: tuple[str, ...],
    role: str | None,
    role_of: str | None,
    role_from: str | None,
    role_until: str | None,
    part_of: str | None,
    note: str | None,
    create: bool,
) -> None:
    """Add an entity, with its aliases and a role.

    An alias that already names another entity is refused; at a terminal, factdb offers to
    add the new names to that entity instead (a merge).

    \b
    Example:
      factdb entity add "Kataib Hezbollah" --kind armed-group --alias "Ketaeb Hezbollah"
      factdb entity add "Leon Panetta" --kind person --role "US Secretary of Defense" --from 2011-07-01
      factdb entity add "Dmitry Peskov" --kind person --role spokesman --of Kremlin --create
    """
    name = ask(name, "NAME", "Name")
    kind = ask(kind, "--kind", "Kind", choices=ENTITY_KINDS)
    if not role and (role_of or role_from or role_until):
        raise WrongCall("--of, --from and --until describe a --role; give --role too.")
    merged = None
    with app.transaction() as session:
        # the role's organization and the parent, as every command resolves a typed name
        if role_of is not None:
            role_of = entity_or_create(session, role_of, "organization", create=create, choose=choose_entity).name
        if part_of is not None:
            part_of = entity_or_create(session, part_of, "organization", create=create, choose=choose_entity).name
        roles = [{"title": role, "of": role_of, "from": role_from, "until": role_until}] if role else []
        taken = _taken_alias(session, name, aliases)
        kept = [a for a in aliases if a not in taken]
        created = add_entity(session, name, kind, aliases=kept, roles=roles, part_of=part_of, note=note)
        if taken:
            merged = merge_entities(session, created.name, taken[next(iter(taken))].name)
        entities = created_messages(session)
    for line in entities:
        echo(line)
    if merged is not None:
        aliases_now = "; ".join(n.name for n in merged.names if not n.is_primary)
        echo(f'Added "{name}" to entity {merged.id} "{merged.name}" ({merged.kind}); aliases: {aliases_now}.')
    else:
        echo(f'Added entity {created.id} "{created.name}" ({created.kind}).')


def _taken_alias(session: Session, name: str, aliases: tuple[str, ...]) -> dict[str, Entity]:
    """The aliases that already name another entity, when the user agrees at a terminal that
    the new entity is that one; otherwise the refusal, with the way out."""
    if find_entity(session, name) is not None:
        return {}  # the name itself is taken: add_entity says so
    taken = {a: e for a in aliases if (e := find_entity(session, a)) is not None}
    if not taken or find_entity(session, name) is not None:  # the name itself is taken: add_entity says so
        return {}
    owners = {e.id: e for e in taken.values()}
    alias, owner = next(iter(taken.items()))
    if len(owners) == 1 and common.is_interactive():
        question = (f'The name "{alias}" already belongs to entity "{owner.name}" ({owner.kind}). '
                    f'Is "{name}" the same? Add its names to "{owner.name}"')
        if click.confirm(question, default=False):
            return taken
    raise InvalidInput(
        f'The name "{alias}" already belongs to entity "{owner.name}" ({owner.kind}). If "{name}" is the same '
        f'entity, add its names there: factdb entity alias add "{owner.name}" "{name}"'
    )


@entity.command("list")
@click.option("--kind", type=Choice(ENTITY_KINDS), help="Only entities of this kind.")
@limit_option("entities (by name)")
@format_option()
@pass_app
def list_(app: App, kind: str | None, limit: int | None, fmt: str) -> None:
    """List entities by name.

    \b
    Example:
      factdb entity list --kind person --format csv
      factdb entity list --limit 20
    """
    with app.reading() as session:
        rows = entity_rows(session, kind=kind, limit=None if limit is None else limit + 1)
    echo(render_listing(ENTITY_COLUMNS, limited(rows, limit, "entities"), fmt))


@entity.command("show")
@click.argument("name", shell_complete=entity_names)
@format_option()
@pass_app
def show(app: App, name: str, fmt: str) -> None:
    """Show an entity: aliases, roles, statements spoken (any alias works).

    \b
    Example:
      factdb entity show Tehran --format json
    """
    with app.reading() as session:
        record = entity_record(session, name)
    echo(render_record(record, fmt, title=record["name"]))


@entity.command("edit")
@click.argument("name")
@click.option("--name", "new_name", help="New primary name (the old one stays an alias).")
@click.option("--kind", type=Choice(ENTITY_KINDS))
@click.option("--part-of", metavar="NAME")
@click.option("--no-part-of", is_flag=True, help="Remove --part-of.")
@click.option("--note", help="New note (\"\" clears it).")
@pass_app
def edit(
    app: App, name: str, new_name: str | None, kind: str | None, part_of: str | None, no_part_of: bool, note: str | None
) -> None:
    """Rename an entity or change its kind, parent or note.

    \b
    Example:
      factdb entity edit "Kataib Hezbollah" --name "Kata'ib Hezbollah" --note "Iraqi Shiite militia"
    """
    require_a_change(new_name=new_name, kind=kind, part_of=part_of, no_part_of=no_part_of, note=note)
    with app.transaction() as session:
        changed = edit_entity(
            session, name, new_name=new_name, kind=kind, part_of=part_of, clear_part_of=no_part_of, note=note
        )
        done = f'Updated entity {changed.id} "{changed.name}".'
    echo(done)  # after COMMIT


@entity.group("alias")
def alias() -> None:
    """Add or remove other names of an entity.

    \b
    Example:
      factdb entity alias add Iran Tehran "the government of Iran"
    """


@alias.command("add")
@click.argument("name")
@click.argument("aliases", nargs=-1, required=True)
@pass_app
def alias_add(app: App, name: str, aliases: tuple[str, ...]) -> None:
    """Give an entity more names.

    \b
    Example:
      factdb entity alias add Iran Tehran
    """
    with app.transaction() as session:
        for text in aliases:
            add_alias(session, name, text)
        record = entity_record(session, name)
    echo(f'"{record["name"]}" is also known as: {"; ".join(record["aliases"])}.')


@alias.command("remove")
@click.argument("name")
@click.argument("alias_name", metavar="ALIAS")
@pass_app
def alias_remove(app: App, name: str, alias_name: str) -> None:
    """Remove an alias.

    \b
    Example:
      factdb entity alias remove Iran "the government of Iran"
    """
    with app.transaction() as session:
        changed = remove_alias(session, name, alias_name)
        done = f'Removed alias "{alias_name}" of "{changed.name}".'
    echo(done)  # after COMMIT


@entity.group("role")
def role() -> None:
    """Record or remove roles held over time.

    \b
    Example:
      factdb entity role add "Robert Gates" "US Secretary of Defense" --until 2011-06-30
    """


@role.command("add")
@click.argument("name")
@click.argument("title")
@click.option("--of", "role_of", metavar="NAME", help="The organization.")
@click.option("--from", "role_from", metavar="DATE")
@click.option("--until", "role_until", metavar="DATE")
@click.option("--note")
@pass_app
def role_add(
    app: App,
    name: str,
    title: str,
    role_of: str | None,
    role_from: str | None,
    role_until: str | None,
    note: str | None,
) -> None:
    """Add a role to an entity.

    \b
    Example:
      factdb entity role add "Leon Panetta" "US Secretary of Defense" --of "United States" --from 2011-07-01
    """
    with app.transaction() as session:
        changed = add_role(session, name, title, of=role_of, note=note, **{"from": role_from, "until": role_until})
        done = f'Added role "{title}" to "{changed.name}".'
    echo(done)  # after COMMIT


@role.command("remove")
@click.argument("name")
@click.argument("title")
@pass_app
def role_remove(app: App, name: str, title: str) -> None:
    """Remove a role (by title) from an entity.

    \b
    Example:
      factdb entity role remove "Leon Panetta" "US Secretary of Defense"
    """
    with app.transaction() as session:
        changed = remove_role(session, name, title)
        done = f'Removed role "{title}" of "{changed.name}".'
    echo(done)  # after COMMIT


@entity.command("delete")
@click.argument("name")
@pass_app
def delete(app: App, name: str) -> None:
    """Delete an entity nothing refers to (otherwise: refused, naming what uses it).

    \b
    Example:
      factdb entity delete "Ketaeb Hezbollah"
    """
    with app.transaction() as session:
        deleted = delete_entity(session, name)
    echo(f'Deleted entity "{deleted}".')


@entity.command("merge")
@click.argument("loser")
@click.argument("winner")
@pass_app
def merge(app: App, loser: str, winner: str) -> None:
    """Merge the duplicate LOSER into WINNER: statements, sources, roles and names move;
    LOSER's names become aliases of WINNER; history keeps the record.

    \b
    Example:
      factdb entity merge "Ketaeb Hezbollah" "Kataib Hezbollah"
    """
    with app.transaction() as session:
        kept = merge_entities(session, loser, winner)
        aliases = [n.name for n in kept.names if not n.is_primary]
        done = f'Merged "{loser}" into entity {kept.id} "{kept.name}" (aliases: {"; ".join(aliases)}).'
    echo(done)  # after COMMIT
