from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import OWL, RDF

from wivgraph.errors import WivgraphError
from wivgraph.infer import add_inferred
from wivgraph.load import graph_iri, load_dataset, load_files, parse_turtle
from wivgraph.namespaces import GRAPH, INFERRED_GRAPH

GOOD = """@prefix ex: <http://example.org/> .
ex:a a ex:Thing .
"""
BAD = """@prefix ex: <http://example.org/> .
ex:a a ex:Thing .
ex:b ex:p .
"""


def make_project(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_one_named_graph_per_file(tmp_path):
    root = make_project(
        tmp_path,
        {
            "ontology/o.ttl": GOOD,
            "data/a.ttl": GOOD,
            "data/sub/b.ttl": GOOD.replace("ex:a", "ex:b"),
        },
    )
    ds = load_dataset(root)
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert names == {str(GRAPH["ontology/o"]), str(GRAPH["data/a"]), str(GRAPH["data/sub/b"])}
    # the default graph is the union: a query sees every file
    rows = list(ds.query("SELECT ?s WHERE { ?s a <http://example.org/Thing> }"))
    assert {str(r[0]) for r in rows} == {"http://example.org/a", "http://example.org/b"}


def test_graph_iri_is_path_without_suffix(tmp_path):
    path = tmp_path / "data" / "norms" / "x.ttl"
    assert graph_iri(path, tmp_path) == GRAPH["data/norms/x"]


@pytest.mark.parametrize("folder", ["ontology", "data"])
def test_symlinked_folder_keeps_its_graph_names(tmp_path, folder):
    elsewhere = make_project(tmp_path / "elsewhere", {"o.ttl": GOOD})
    other = "data" if folder == "ontology" else "ontology"
    root = make_project(tmp_path / "project", {f"{other}/x.ttl": GOOD.replace("ex:a", "ex:x")})
    (root / folder).symlink_to(elsewhere, target_is_directory=True)
    ds = load_dataset(root)
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert names == {str(GRAPH[f"{folder}/o"]), str(GRAPH[f"{other}/x"])}


def test_symlinked_sub_folder_below_data_is_loaded(tmp_path):
    """A folder linked in below data/ (e.g. data/extra -> a shared checkout) is read too."""
    elsewhere = make_project(tmp_path / "elsewhere", {"e.ttl": GOOD.replace("ex:a", "ex:e")})
    root = make_project(tmp_path / "project", {"ontology/o.ttl": GOOD, "data/x.ttl": GOOD})
    (root / "data" / "extra").symlink_to(elsewhere, target_is_directory=True)
    (elsewhere / "loop").symlink_to(elsewhere, target_is_directory=True)  # a cycle is read once
    ds = load_dataset(root)
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert names == {str(GRAPH["ontology/o"]), str(GRAPH["data/x"]), str(GRAPH["data/extra/e"])}


def test_file_outside_the_project_is_bad_input(tmp_path):
    with pytest.raises(WivgraphError, match="not inside the project folder"):
        graph_iri(tmp_path / "a.ttl", tmp_path / "project")


def test_malformed_turtle_names_file_and_line(tmp_path):
    root = make_project(tmp_path, {"ontology/o.ttl": GOOD, "data/bad.ttl": BAD})
    with pytest.raises(WivgraphError) as err:
        load_dataset(root)
    message = str(err.value)
    assert message.startswith(f"{root / 'data' / 'bad.ttl'}:3: malformed Turtle")


def test_nothing_partial_when_one_file_is_bad(tmp_path):
    root = make_project(tmp_path, {"data/a.ttl": GOOD, "data/z.ttl": BAD})
    from rdflib import Dataset

    target = Dataset()
    with pytest.raises(WivgraphError):
        load_files(sorted((root / "data").glob("*.ttl")), root, dataset=target)
    assert len(target) == 0


def test_missing_folder_is_bad_input(tmp_path):
    with pytest.raises(WivgraphError, match="folder not found"):
        load_dataset(tmp_path / "nowhere")


def test_unreadable_file_is_bad_input(tmp_path):
    path = tmp_path / "latin1.ttl"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(WivgraphError, match="cannot read as UTF-8"):
        parse_turtle(path)


def test_inferred_triples_go_to_their_own_graph(tmp_path):
    onto = """@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Thing rdfs:subClassOf ex:Super .
"""
    root = make_project(tmp_path, {"ontology/o.ttl": onto, "data/a.ttl": GOOD})
    ds = load_dataset(root)
    inferred = add_inferred(ds)
    triple = (URIRef("http://example.org/a"), RDF.type, URIRef("http://example.org/Super"))
    assert triple in inferred
    assert triple not in ds.graph(GRAPH["data/a"])
    assert inferred.identifier == INFERRED_GRAPH


def test_corpus_has_ontology_metadata(dataset):
    onto = dataset.graph(GRAPH["ontology/wivgraph"])
    assert (URIRef("https://w3id.org/wivgraph/def"), RDF.type, OWL.Ontology) in onto


BAD_IRI = """@prefix ex: <http://example.org/> .
ex:a a ex:Thing .
<bad iri> ex:p ex:c .
"""
ILL_TYPED = """@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a a ex:Thing .
ex:a ex:count "abc"^^xsd:integer .
"""


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [(BAD_IRI, 3, "invalid IRI <"), (ILL_TYPED, 4, 'literal "abc" is not a valid')],
    ids=["iri-with-space", "ill-typed-literal"],
)
def test_warnings_of_rdflib_are_errors_with_line(tmp_path, capsys, text, line, words):
    path = tmp_path / "x.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WivgraphError) as err:
        parse_turtle(path)
    assert str(err.value).startswith(f"{path}:{line}: malformed Turtle: ")
    assert words in str(err.value)
    assert "\n" not in str(err.value)
    assert "Traceback" not in capsys.readouterr().err


def test_bad_file_into_a_graph_adds_nothing(tmp_path):
    from rdflib import Graph

    path = tmp_path / "x.ttl"
    path.write_text(ILL_TYPED, encoding="utf-8")
    target = Graph()
    with pytest.raises(WivgraphError):
        parse_turtle(path, into=target)
    assert len(target) == 0


@pytest.mark.parametrize(("text", "line"), [(BAD_IRI, 3), (ILL_TYPED, 4)], ids=["iri", "literal"])
def test_cli_refuses_invalid_iri_and_ill_typed_literal(tmp_path, text, line):
    from click.testing import CliRunner

    from wivgraph.cli import cli

    root = make_project(tmp_path, {"ontology/o.ttl": GOOD, "data/a.ttl": GOOD, "data/x.ttl": text})
    result = CliRunner().invoke(cli, ["--root", str(root), "stats", "--format", "json"])
    assert result.exit_code == 2
    assert result.stdout == ""  # nothing partial served
    assert result.stderr.startswith(f"error: {root / 'data' / 'x.ttl'}:{line}: malformed Turtle")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def _broken(*args, **kwargs):
    raise RuntimeError("something unforeseen\nsecond line")


def test_cli_unexpected_exception_is_one_line_and_exit_3(monkeypatch):
    from click.testing import CliRunner

    import wivgraph.cli as cli_mod

    monkeypatch.setattr(cli_mod, "dataset_stats", _broken)
    monkeypatch.setattr("wivgraph.fast.store_stats", _broken)  # stats on the build cache
    result = CliRunner().invoke(cli_mod.cli, ["stats"])
    assert result.exit_code == 3
    assert result.stderr == "internal error: RuntimeError: something unforeseen\n"
    assert "Traceback" not in result.output


def test_console_script_unexpected_exception_exit_3(monkeypatch, capsys):
    import wivgraph.cli as cli_mod

    monkeypatch.setattr(cli_mod, "dataset_stats", _broken)
    monkeypatch.setattr("wivgraph.fast.store_stats", _broken)  # stats on the build cache
    monkeypatch.setattr("sys.argv", ["wivgraph", "stats"])
    with pytest.raises(SystemExit) as exit_info:
        cli_mod.main()
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert err == "internal error: RuntimeError: something unforeseen\n"


def test_cli_usage_error_keeps_click_exit_2():
    from click.testing import CliRunner

    from wivgraph.cli import cli

    result = CliRunner().invoke(cli, ["stats", "--format", "nonsense"])
    assert result.exit_code == 2
    assert "internal error" not in result.output


def test_one_ontology_without_imports(dataset):
    """docs/architecture.md: module files are parts of def, and nothing is owl:imported."""
    from rdflib.namespace import RDFS

    from wivgraph.load import graphs_under

    ontology = URIRef("https://w3id.org/wivgraph/def")
    declared = set()
    for name in graphs_under(dataset, "ontology"):
        graph = dataset.graph(name)
        assert not list(graph.triples((None, OWL.imports, None))), name
        declared |= set(graph.subjects(RDF.type, OWL.Ontology))
        terms = {
            s for cls in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
            for s in graph.subjects(RDF.type, cls) if str(s).startswith(str(ontology) + "#")
        }
        for term in terms:
            assert (term, RDFS.isDefinedBy, ontology) in graph, (name, term)
    assert declared == {ontology}


def test_cli_repeated_param_is_bad_input():
    from click.testing import CliRunner

    from wivgraph.cli import cli

    result = CliRunner().invoke(cli, ["query", "run", "docs-leden-containing",
                                      "--param", "text=gegevens", "--param", "text=derden"])
    assert result.exit_code == 2
    assert result.stderr == ("error: --param text: given more than once "
                             "(expected each parameter once)\n")
    assert result.stdout == ""
