"""A static check that workflow state fields are written only by opendost.workflow (house style 3.3).

For each registered workflow (model name, its app package, the state field, the initial state) it
flags, in every module outside opendost/workflow and migrations:
1. `<anything>.<field> = …` (also `+=`, annotated) and `setattr(x, "<field>", …)`;
2. `.update(<field>=…)`, `.update_or_create(defaults={"<field>": …})`, `.bulk_update(objs, ["<field>"])`;
3. `<field>=` in `Model(…)`, `.create(…)`, `.get_or_create(…)` unless the value is the initial state.
To stay precise, 1–3 count only in modules that concern the model: its own app package, or modules
that mention the model's name. A call chain rooted at another model class (`Message.objects…`) is
never flagged; one rooted at the workflow model always is.
"""

import ast
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Spec:
    model: str  # class name, e.g. "Dossier"
    package: str  # app package, e.g. "opendost.dossiers"
    field: str  # e.g. "status"
    initial_value: str  # e.g. "received"
    initial_member: str  # e.g. "RECEIVED"


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def specs_from_registry(registry) -> list[Spec]:
    specs = []
    for model, workflow in registry.items():
        package = model.__module__.rsplit(".", 1)[0]
        specs.append(
            Spec(model.__name__, package, workflow.field, workflow.initial, workflow.states(workflow.initial).name)
        )
    return specs


def _root(node: ast.AST) -> ast.AST:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _is_initial(value: ast.AST, spec: Spec) -> bool:
    if isinstance(value, ast.Constant):
        return value.value == spec.initial_value
    return isinstance(value, ast.Attribute) and value.attr == spec.initial_member


def _mentions(tree: ast.AST, name: str) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name:
            return True
        if isinstance(node, ast.Attribute) and node.attr == name:
            return True
        if isinstance(node, ast.alias) and (node.asname == name or node.name.rsplit(".", 1)[-1] == name):
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.endswith(f".{name}"):
            return True  # apps.get_model("dossiers", ...) / "dossiers.Dossier"
    return False


def _dict_keys(node: ast.AST | None) -> list[tuple[str, ast.AST]]:
    if isinstance(node, ast.Dict):
        return [(k.value, v) for k, v in zip(node.keys, node.values, strict=True) if isinstance(k, ast.Constant)]
    return []


def scan_source(source: str, path: str, module: str, specs: list[Spec]) -> list[Violation]:
    tree = ast.parse(source, filename=path)
    found: list[Violation] = []
    for spec in specs:
        concerned = module == spec.package or module.startswith(spec.package + ".") or _mentions(tree, spec.model)
        found += _scan(tree, path, spec, concerned)
    return sorted(set(found), key=lambda v: (v.line, v.message))


def _scan(tree: ast.AST, path: str, spec: Spec, concerned: bool) -> list[Violation]:
    field, out = spec.field, []

    def flag(node, message):
        out.append(
            Violation(path, node.lineno, f"{message} ({spec.model}.{field} is written by transition_apply only)")
        )

    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for sub in ast.walk(target):
                if (
                    isinstance(sub, ast.Attribute)
                    and sub.attr == field
                    and isinstance(sub.ctx, ast.Store)
                    and concerned
                ):
                    flag(node, f"assigns .{field}")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and name.value == field and concerned:
                flag(node, f'setattr(…, "{field}", …)')
            continue
        root = _root(func)
        if isinstance(func, ast.Name):
            method, on_model = "__init__", func.id == spec.model
            if not on_model:
                continue
        elif isinstance(func, ast.Attribute):
            method = func.attr
            on_model = isinstance(root, ast.Name) and root.id == spec.model
            other_model = isinstance(root, ast.Name) and root.id[:1].isupper() and root.id != spec.model
            if other_model or not (on_model or concerned):
                continue
        else:
            continue
        kwargs = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        if method == "update" and field in kwargs:
            flag(node, f".update({field}=…)")
        elif (
            method in {"__init__", "create", "get_or_create"}
            and field in kwargs
            and not _is_initial(kwargs[field], spec)
        ):
            flag(node, f"{method}({field}=…) with a state other than the initial one")
        if method in {"update_or_create", "get_or_create"}:
            for key, value in _dict_keys(kwargs.get("defaults")) + _dict_keys(kwargs.get("create_defaults")):
                if key == field and (method == "update_or_create" or not _is_initial(value, spec)):
                    flag(node, f"{method}(defaults={{'{field}': …}})")
        if method == "bulk_update" and len(node.args) >= 2:
            names = node.args[1]
            if isinstance(names, ast.List | ast.Tuple | ast.Set) and any(
                isinstance(e, ast.Constant) and e.value == field for e in names.elts
            ):
                flag(node, f'bulk_update(…, ["{field}"])')
    return out


def scan_tree(root: Path, package_root: Path, specs: list[Spec]) -> tuple[int, list[Violation]]:
    """Scan every .py file under `root` except the engine and migrations; return (files, violations)."""
    files, violations = 0, []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(package_root)
        if "migrations" in rel.parts or rel.parts[:2] == ("opendost", "workflow"):
            continue
        module = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
        violations += scan_source(path.read_text(encoding="utf-8"), str(rel), module, specs)
        files += 1
    return files, violations
