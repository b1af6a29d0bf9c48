"""``planning-core layers | conditions | check-scheme | map``: base data, conditions, maps.

Every command here needs the ``geo`` extra (shapely, pyproj): without it, it says so in one
line (exit 2) through :func:`planning_core._extras.import_extra`, and the other commands of
``planning-core`` are untouched. Output follows ``docs/cli.md``: ``--format``, ``--out``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planning_core._extras import import_extra
from planning_core.cli._base import CliContext, pass_context
from planning_core.cli._base import store_option as _store_option
from planning_core.cli._output import Output, json_text, output_options, progress
from planning_core.errors import ValidationError
from planning_core.inputs import load_json, read_text
from planning_core.serialization import dump, make_converter, parse_date
from planning_core.storage import Store, open_store

if TYPE_CHECKING:
    from planning_core.geo import Catalogue, ComplianceReport, SiteConditions

# planning_core.geo (shapely, pyproj, numpy: the geo extra) is imported inside the commands,
# through _require_geo, so that every other planning-core command starts without them.

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


#: The layer list as CSV, with the bureau's column names.
_LAYER_HEADER = (
    "图层编号",
    "类型",
    "名称",
    "来源",
    "比例尺",
    "坐标系",
    "测绘日期",
    "版本",
    "要素数",
)


def _require_geo(purpose: str) -> None:
    """Import the geo room, or stop with one line naming the ``geo`` extra."""
    import_extra("planning_core.geo", "geo", purpose)


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
@output_options()
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
    output: Output,
    store_url: str,
) -> None:
    """Import FILE (GeoJSON; Shapefile or GeoPackage with the gis extra) as one layer."""
    _require_geo("importing a base-data layer")
    from planning_core.geo import GeoRepository, LayerKind, import_layer_file, parse_scale

    converter = make_converter(obj.hooks)
    phases = (obj.say("读取", "reading"),)
    with open_store(store_url, obj.hooks) as store, progress(*phases) as bar:
        layer = import_layer_file(
            GeoRepository(store, converter),
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
            progress=bar,
        )
    output.emit(
        text=lambda: (
            f"导入 {file.name}：{layer.kind.zh}图层 {layer.id}，{layer.feature_count} 个要素"
            f"（{layer.scale_text}，源坐标系 {layer.crs}，版本 {layer.version}）"
        ),
        data=lambda: dump(converter, layer),
    )


@layers.command("list")
@output_options(csv=True)
@_store_option
@pass_context
def list_command(obj: CliContext, output: Output, store_url: str) -> None:
    """Every layer: kind, name, source, scale, CRS, survey date, version, features."""
    _require_geo("the base-data catalogue")
    from planning_core.geo import GeoRepository

    converter = make_converter(obj.hooks)
    with open_store(store_url, obj.hooks, create=False) as store:
        found = GeoRepository(store, converter).layers()
    rows = [
        [
            layer.id,
            layer.kind.zh,
            layer.name,
            layer.source,
            layer.scale_text,
            layer.crs,
            layer.survey_date.isoformat(),
            f"v{layer.version}",
            layer.feature_count,
        ]
        for layer in found
    ]

    def text() -> str:
        if not found:
            return "目录为空：用 planning-core layers import FILE --kind KIND 导入图层"
        lines = ["\t".join(str(cell) for cell in row[:-1]) for row in rows]
        return "\n".join(
            f"{line}\t{layer.feature_count} 个要素"
            for line, layer in zip(lines, found, strict=True)
        )

    output.emit(
        text=text,
        data=lambda: dump(converter, list(found)),
        table=lambda: (_LAYER_HEADER, rows),
    )


@click.command("conditions")
@click.argument("site_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--crs", default=None, help="CRS of the site's coordinates (default CGCS2000).")
@output_options()
@_store_option
@pass_context
def conditions_command(
    obj: CliContext, site_file: Path, crs: str | None, output: Output, store_url: str
) -> None:
    """The planning conditions (规划条件) of the site in SITE_FILE (GeoJSON)."""
    _require_geo("the planning conditions of a site")
    from planning_core.geo import conditions_for, site_from_geojson

    site = site_from_geojson(_read_json(site_file), crs or "EPSG:4490")
    with open_store(store_url, obj.hooks, create=False) as store:
        found = conditions_for(site, _catalogue(obj, store))
    output.emit(text=lambda: "\n".join(_conditions_lines(found)), data=found.to_json)


@click.command("check-scheme")
@click.argument("scheme_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_options()
@_store_option
@pass_context
def check_scheme_command(
    obj: CliContext, scheme_file: Path, output: Output, store_url: str
) -> None:
    """Check a scheme against its site's conditions (art. 40); exit 1 when a rule fails.

    SCHEME_FILE is JSON: "site" (a GeoJSON polygon) and the figures land_area,
    total_floor_area, footprint_area, height, green_area, setbacks ({"road": 10}), land_use.
    """
    _require_geo("checking a scheme")
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
    output.emit(
        text=lambda: "\n".join(_report_lines(report, conditions)),
        data=lambda: {"conditions": conditions.to_json(), "check": report.to_json()},
    )
    if report.failures:
        click.get_current_context().exit(1)


@click.command("map")
@click.argument("case")
@click.option(
    "--geojson",
    "geojson_out",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the map's features as GeoJSON to this file.",
)
@click.option("--margin", default=30.0, show_default=True, help="Metres shown around the site.")
@output_options(text_name="svg")
@_store_option
@pass_context
def map_command(
    obj: CliContext,
    case: str,
    geojson_out: Path | None,
    margin: float,
    output: Output,
    store_url: str,
) -> None:
    """Draw CASE's site (from its application form) with plots, roads and pipelines.

    The map is SVG (``--format svg``, the default) or its features as GeoJSON
    (``--format json``), written to ``--out`` or stdout.
    """
    _require_geo("the site map")
    from planning_core.forms import case_site
    from planning_core.geo import map_geojson, render_svg, site_map

    with open_store(store_url, obj.hooks, create=False) as store:
        case_id, number = _case_ids(store, case)
        site, data = case_site(store, case_id)
        chosen = site_map(site, _catalogue(obj, store), margin_m=margin)
    project = str(data.get("project_name", ""))
    title = f"{project} 用地范围图（案件 {number}）".strip()
    collection = map_geojson(chosen, {"case": number, "project_name": project})
    output.emit(text=lambda: render_svg(chosen, title=title), data=lambda: collection)
    if geojson_out is not None:
        geojson_out.write_text(json_text(collection), encoding="utf-8")
        click.echo(obj.say(f"已写入 {geojson_out}", f"wrote {geojson_out}"), err=True)
    features = len(chosen.features)
    click.echo(obj.say(f"用地范围图 {features} 个要素", f"site map: {features} features"), err=True)


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
