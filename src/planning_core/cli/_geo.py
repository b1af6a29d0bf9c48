"""``planning-core layers | conditions | check-scheme | map``: base data, conditions, maps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planning_core.cli._base import CliContext, pass_context
from planning_core.cli._base import store_option as _store_option
from planning_core.errors import ValidationError
from planning_core.inputs import load_json, read_text
from planning_core.serialization import make_converter, parse_date
from planning_core.storage import Store, open_store

if TYPE_CHECKING:
    from planning_core.geo import Catalogue, ComplianceReport, SiteConditions

# planning_core.geo (shapely, pyproj, numpy) is imported inside the commands, so that every
# other planning-core command starts without loading them.

__all__ = ["check_scheme_command", "conditions_command", "layers", "map_command"]

#: The layer kinds' values (kept in step with ``LayerKind`` by a test).
_KINDS = [
    "topography",
    "road",
    "pipeline",
    "master_plan",
    "regulatory_plan",
    "detailed_plan",
    "urban_land",
    "building",
    "key_project",
]


def _json_option(function: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(function)


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _read_json(path: Path) -> Any:
    """A site or scheme file: UTF-8 JSON holding one object (planning_core.inputs)."""
    return load_json(read_text(path), path.name, expect=dict)


def _catalogue(obj: CliContext, store: Store) -> Catalogue:
    from planning_core.geo import GeoRepository

    return GeoRepository(store, make_converter(obj.hooks)).load_catalogue()


@click.group()
def layers() -> None:
    """The base-data catalogue (基础数据): import and list layers."""


@layers.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", required=True, type=click.Choice(_KINDS), help="The base database.")
@click.option("--survey-date", required=True, help="Survey or approval date, YYYY-MM-DD.")
@click.option("--id", "layer_id", default=None, help="Layer id (default: KIND-FILESTEM).")
@click.option("--name", default=None, help="The layer's name (default: the file's stem).")
@click.option("--source", default="未注明", show_default=True, help="Who produced the data.")
@click.option("--scale", default="1:500", show_default=True, help="Map scale.")
@click.option("--version", "version", default="1", show_default=True, help="Data version.")
@click.option("--crs", default=None, help="CRS of the coordinates when the file does not say.")
@click.option("--gpkg-layer", default=None, help="The layer inside a GeoPackage.")
@_store_option
@pass_context
def import_command(
    obj: CliContext,
    file: Path,
    kind: str,
    survey_date: str,
    layer_id: str | None,
    name: str | None,
    source: str,
    scale: str,
    version: str,
    crs: str | None,
    gpkg_layer: str | None,
    store_url: str,
) -> None:
    """Import FILE (GeoJSON; Shapefile or GeoPackage with the gis extra) as one layer."""
    from planning_core.geo import GeoRepository, LayerKind, import_layer_file, parse_scale

    with open_store(store_url, obj.hooks) as store:
        layer = import_layer_file(
            GeoRepository(store, make_converter(obj.hooks)),
            file,
            LayerKind(kind),
            layer_id=layer_id,
            name=name,
            source=source,
            scale=parse_scale(scale),
            survey_date=parse_date(survey_date),
            version=version,
            crs=crs,
            gpkg_layer=gpkg_layer,
        )
    click.echo(
        f"导入 {file.name}: {layer.kind.zh} 图层 {layer.id}，{layer.feature_count} 个要素"
        f"（{layer.scale_text}，源坐标系 {layer.crs}，版本 {layer.version}）"
    )


@layers.command("list")
@_json_option
@_store_option
@pass_context
def list_command(obj: CliContext, as_json: bool, store_url: str) -> None:
    """Every layer: kind, name, source, scale, CRS, survey date, version, features."""
    from planning_core.geo import GeoRepository

    with open_store(store_url, obj.hooks, create=False) as store:
        converter = make_converter(obj.hooks)
        found = GeoRepository(store, converter).layers()
    if as_json:
        _echo_json([converter.unstructure(layer) for layer in found])
        return
    if not found:
        click.echo("目录为空：用 planning-core layers import FILE --kind KIND 导入图层")
    for layer in found:
        click.echo(
            f"{layer.id}\t{layer.kind.zh}\t{layer.name}\t{layer.source}\t{layer.scale_text}\t"
            f"{layer.crs}\t{layer.survey_date}\tv{layer.version}\t{layer.feature_count} 个要素"
        )


@click.command("conditions")
@click.argument("site_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--crs", default=None, help="CRS of the site's coordinates (default CGCS2000).")
@_json_option
@_store_option
@pass_context
def conditions_command(
    obj: CliContext, site_file: Path, crs: str | None, as_json: bool, store_url: str
) -> None:
    """The planning conditions (规划条件) of the site in SITE_FILE (GeoJSON)."""
    from planning_core.geo import conditions_for, site_from_geojson

    site = site_from_geojson(_read_json(site_file), crs or "EPSG:4490")
    with open_store(store_url, obj.hooks, create=False) as store:
        found = conditions_for(site, _catalogue(obj, store))
    if as_json:
        _echo_json(found.to_json())
    else:
        click.echo("\n".join(_conditions_lines(found)))


@click.command("check-scheme")
@click.argument("scheme_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_json_option
@_store_option
@pass_context
def check_scheme_command(obj: CliContext, scheme_file: Path, as_json: bool, store_url: str) -> None:
    """Check a scheme against its site's conditions (art. 40); exit 1 when a rule fails.

    SCHEME_FILE is JSON: "site" (a GeoJSON polygon) and the figures land_area,
    total_floor_area, footprint_area, height, green_area, setbacks ({"road": 10}), land_use.
    """
    from planning_core.geo import Scheme, check_scheme, conditions_for, site_from_geojson

    data = _read_json(scheme_file)
    if not isinstance(data, dict) or "site" not in data:
        raise ValidationError(f"{scheme_file.name} needs a 'site' (GeoJSON) and the figures")
    figures = {k: v for k, v in data.items() if k != "site"}
    scheme = Scheme.from_json(figures)
    site = site_from_geojson(data["site"])
    with open_store(store_url, obj.hooks, create=False) as store:
        conditions = conditions_for(site, _catalogue(obj, store))
    report = check_scheme(scheme, conditions)
    if as_json:
        _echo_json({"conditions": conditions.to_json(), "check": report.to_json()})
    else:
        click.echo("\n".join(_report_lines(report, conditions)))
    if report.failures:
        click.get_current_context().exit(1)


@click.command("map")
@click.argument("case")
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="SVG file."
)
@click.option(
    "--geojson",
    "geojson_out",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the map's features as GeoJSON.",
)
@click.option("--margin", default=30.0, show_default=True, help="Metres shown around the site.")
@_store_option
@pass_context
def map_command(
    obj: CliContext,
    case: str,
    out: Path,
    geojson_out: Path | None,
    margin: float,
    store_url: str,
) -> None:
    """Draw CASE's site (from its application form) with plots, roads and pipelines."""
    from planning_core.forms import case_site
    from planning_core.geo import map_geojson, render_svg, site_map

    with open_store(store_url, obj.hooks, create=False) as store:
        case_id, number = _case_ids(store, case)
        site, data = case_site(store, case_id)
        chosen = site_map(site, _catalogue(obj, store), margin_m=margin)
    project = str(data.get("project_name", ""))
    title = f"{project} 用地范围图（案件 {number}）".strip()
    out.write_text(render_svg(chosen, title=title), encoding="utf-8")
    if geojson_out is not None:
        collection = map_geojson(chosen, {"case": number, "project_name": project})
        geojson_out.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    click.echo(f"用地范围图已写入 {out}（{len(chosen.features)} 个要素）")


def _case_ids(store: Store, case: str) -> tuple[str, str]:
    """(case id, case number) for a case id or number; a case without a row keeps its id."""
    row = store.get_case(case) or store.find_case(case)
    if row is None:
        return case, case
    return row.case_id, row.case_number or row.case_id


def _conditions_lines(found: SiteConditions) -> list[str]:
    from planning_core.geo import format_number as fmt

    lines = [f"用地面积 {fmt(found.site_area_m2)} m²（量算坐标系 {found.crs}）"]
    if found.overlaps:
        lines.append("所在控规地块：")
        lines += [
            f"  {o.plot.code}（{o.plot.land_use}）{fmt(o.area_m2)} m²，占 {fmt(o.share * 100)}%"
            for o in found.overlaps
        ]
    lines.append("规划条件：" if found.conditions else "规划条件：无（用地不在控规地块内）")
    lines += [f"  {c.text}" for c in found.conditions]
    if found.warnings:
        lines.append("提示：")
        lines += [f"  ! {w.message}" for w in found.warnings]
    return lines


def _report_lines(report: ComplianceReport, conditions: SiteConditions) -> list[str]:
    from planning_core.geo import RuleStatus

    marks = {RuleStatus.PASS: "✓", RuleStatus.FAIL: "✗", RuleStatus.UNKNOWN: "?"}
    lines = [f"{marks[r.status]} {r.status.zh} {r.name}：{r.message}" for r in report.results]
    lines += [f"! {w.message}" for w in conditions.warnings]
    verdict = "符合" if report.passed else f"不符合 {len(report.failures)} 项"
    if not report.failures and not report.passed:
        verdict = "待补充资料后核对"
    lines.append(f"结论（供承办人确认）：{verdict}")
    return lines
