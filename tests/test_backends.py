"""Choosing the index backend: searchkit.toml, Engine arguments and the CLI options."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine, HomeError, SearchkitError
from searchkit.backends import CONFIG_FILE, IndexConfig, load_config, save_config
from searchkit.backends.whoosh import SearchIndex
from searchkit.cli import main


def test_a_home_without_config_uses_the_embedded_index(home: Path) -> None:
    eng = Engine(home)
    assert eng.config == IndexConfig()
    assert isinstance(eng.backend_index, SearchIndex)


def test_init_with_a_url_saves_the_opensearch_backend(tmp_path: Path) -> None:
    Engine.init(tmp_path / "h", url="http://127.0.0.1:9200/news")
    text = (tmp_path / "h" / CONFIG_FILE).read_text(encoding="utf-8")
    assert 'backend = "opensearch"' in text
    cfg = load_config(tmp_path / "h")
    assert cfg.backend == "opensearch"
    assert cfg.hosts_and_alias() == (["http://127.0.0.1:9200"], "news")


def test_config_round_trips(tmp_path: Path) -> None:
    cfg = IndexConfig(backend="opensearch", url="http://a:9200,http://b:9201", shards=5, replicas=2)
    save_config(tmp_path, cfg)
    assert load_config(tmp_path) == cfg


@pytest.mark.parametrize(
    ("url", "hosts", "alias"),
    [
        ("http://127.0.0.1:9200", ["http://127.0.0.1:9200"], "searchkit"),
        ("127.0.0.1:9200", ["http://127.0.0.1:9200"], "searchkit"),
        ("http://a:9200, http://b:9201/archive", ["http://a:9200", "http://b:9201"], "archive"),
        ("https://a:9200/x/", ["https://a:9200"], "x"),
    ],
)
def test_url_gives_hosts_and_alias(url: str, hosts: list[str], alias: str) -> None:
    assert IndexConfig(backend="opensearch", url=url).hosts_and_alias() == (hosts, alias)


@pytest.mark.parametrize("url", ["ftp://a:21", "http://a:9200/x/y", "http://a:9200/x,http://b:9200/y",
                                 "http://a:9200/News", ",", "http://a:9:9200/news", "http://a:99999", "http://a:0",
                                 "http://a:port/news"])
def test_bad_urls_are_refused_with_a_message(url: str) -> None:
    with pytest.raises(SearchkitError, match="URL|alias"):
        IndexConfig(backend="opensearch", url=url)


def test_init_with_a_mistyped_port_is_one_line_and_makes_no_home(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["--url", "http://127.0.0.1:9:9200/news", "init", str(tmp_path / "h")])
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()  # (it was an "unexpected ValueError … a bug in searchkit")
    assert len(lines) == 1 and "bad OpenSearch URL 'http://127.0.0.1:9:9200'" in lines[0], res.output
    assert "port" in lines[0] and "bug" not in lines[0]
    assert not (tmp_path / "h").exists()


@pytest.mark.parametrize("url", ["not a url", "http://[::1", "http://a%b:9200", "http://127.0.0.1:9200,http://[::1:2"])
def test_a_host_no_client_could_read_is_one_line_and_makes_no_home(tmp_path: Path, url: str) -> None:
    # (the client refused the host, or the URL parser the bracket: 'unexpected LocationParseError'
    # or 'unexpected ValueError: Invalid IPv6 URL — this is a bug in searchkit', after the home was made)
    res = CliRunner().invoke(main, ["--url", url, "init", str(tmp_path / "h")])
    assert res.exit_code == 2
    (line,) = res.output.strip().splitlines()
    assert line.startswith("Error: bad OpenSearch URL ") and "bug" not in line
    assert not (tmp_path / "h").exists()


@pytest.mark.parametrize("url", ["http://[::1]:9200", "http://пошта.укр:9200", "http://my_host:9200"])
def test_an_ipv6_address_or_a_host_in_any_script_is_a_host(url: str) -> None:
    assert IndexConfig(backend="opensearch", url=url).hosts_and_alias()[0] == [url]


def test_opensearch_without_url_is_an_error() -> None:
    with pytest.raises(SearchkitError, match="needs a URL"):
        IndexConfig(backend="opensearch")


def test_unknown_backend_lists_the_known_ones() -> None:
    with pytest.raises(SearchkitError, match="whoosh, opensearch"):
        IndexConfig(backend="solr")


def test_a_url_alone_means_opensearch_and_overrides_the_file(tmp_path: Path) -> None:
    cfg = IndexConfig().with_overrides(url="http://h:9200")
    assert cfg.backend == "opensearch"
    assert IndexConfig(backend="opensearch", url="http://a:9200").with_overrides(backend="whoosh").backend == "whoosh"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[index\n", "cannot read"),
        ('[index]\nbackend = "solr"\n', "unknown backend"),
        ('[index]\nbakend = "whoosh"\n', "unknown key 'bakend'"),
        ('[index]\nbackend = "opensearch"\n', "needs a URL"),
        ('[index]\nshards = "many"\n', r"searchkit.toml:2: shards must be a whole number, 1 or more, not 'many'"),
        ('backend = "opensearch"\n[index]\nbackend = "whoosh"\n',
         r"searchkit.toml:1: unknown key 'backend' outside \[index\] \(known: \[index\]\)"),
        ('[index]\nbackend = "whoosh"\n\n[extra]\nx = 1\n', r"searchkit.toml:4: unknown key 'extra' outside \[index\]"),
    ],
)
def test_a_bad_config_file_names_the_file(home: Path, content: str, message: str) -> None:
    (home / CONFIG_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(HomeError, match=message) as info:
        Engine(home)
    assert CONFIG_FILE in str(info.value)


@pytest.mark.parametrize(("line", "said"), [
    ("shards = inf", "shards must be a whole number, 1 or more, not inf"),  # (an OverflowError, said as a bug)
    ("shards = 2.5", "shards must be a whole number, 1 or more, not 2.5"),  # (was 2, unsaid)
    ("shards = true", "shards must be a whole number, 1 or more, not true"),  # (was 1, unsaid)
    ("shards = 0", "shards must be a whole number, 1 or more, not 0"),
    ("replicas = -1", "replicas must be a whole number, 0 or more, not -1"),
    ("analysis = 1e999", "analysis must be a whole number, 1 or more, not inf"),
])
def test_a_count_in_the_config_that_is_no_whole_number_in_range_is_refused_on_its_line(
        home: Path, line: str, said: str) -> None:
    (home / CONFIG_FILE).write_text(f'[index]\nbackend = "opensearch"\nurl = "http://127.0.0.1:9"\n{line}\n',
                                    encoding="utf-8")
    res = CliRunner().invoke(main, ["--home", str(home), "stats"])
    assert res.exit_code == 2 and res.stderr == f"Error: {home / CONFIG_FILE}:4: {said}\n"


def test_a_count_given_to_the_config_in_python_out_of_range_is_refused() -> None:
    with pytest.raises(SearchkitError, match="replicas must be 0 or more, not -1"):
        IndexConfig(backend="opensearch", url="http://a:9200", replicas=-1)


def test_a_key_of_index_written_above_the_table_is_refused_with_where_it_goes(home: Path) -> None:
    (home / CONFIG_FILE).write_text('# the backend\nbackend = "opensearch"\n[index]\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["--home", str(home), "stats"])
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and f"{CONFIG_FILE}:2: unknown key 'backend' outside [index]" in lines[0]
    assert "put it under [index]" in lines[0]


def test_cli_opensearch_without_url_is_one_line_error(home: Path) -> None:
    res = CliRunner().invoke(main, ["--home", str(home), "--backend", "opensearch", "stats"])
    assert res.exit_code == 2
    assert "needs a URL" in res.output
    assert "Traceback" not in res.output


@pytest.mark.parametrize("backend", [[], ["--backend", "whoosh"], ["--backend", "opensearch"]])
@pytest.mark.parametrize("url", ["", "  "])
def test_an_empty_url_is_refused_as_empty_not_as_a_cluster_without_one(home: Path, backend: list[str],
                                                                       url: str) -> None:
    res = CliRunner().invoke(main, ["--home", str(home), *backend, "--url", url, "search", "табір"])
    assert res.exit_code == 2
    assert res.stderr.splitlines() == ["Error: --url is empty: it names no OpenSearch cluster — give the cluster's "
                                       "address (--url http://HOST:9200/ALIAS), or leave --url out to use the index "
                                       "the home is set up with"]


def test_an_empty_url_makes_no_home_and_in_python_names_the_argument(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["--url", "", "init", str(tmp_path / "h")])
    assert res.exit_code == 2 and "--url is empty" in res.stderr
    assert not (tmp_path / "h").exists()
    with pytest.raises(SearchkitError, match="`url=` is empty") as info:
        Engine.init(tmp_path / "h", url="")
    assert "`url='http://HOST:9200/ALIAS'`" in info.value.hint
    assert not (tmp_path / "h").exists()


def test_an_empty_searchkit_url_variable_counts_as_not_set(home: Path) -> None:
    res = CliRunner().invoke(main, ["--home", str(home), "stats", "--json"], env={"SEARCHKIT_URL": ""})
    assert res.exit_code == 0, res.output


def test_cli_unreachable_cluster_is_one_line_error(home: Path) -> None:
    pytest.importorskip("opensearchpy")
    # port 9 (discard) on loopback: nothing listens there
    res = CliRunner().invoke(main, ["--home", str(home), "--url", "http://127.0.0.1:9", "search", "мова"])
    assert res.exit_code == 2
    assert "cannot reach OpenSearch" in res.output


def test_cli_init_saves_backend_options(tmp_path: Path) -> None:
    target = tmp_path / "h"
    res = CliRunner().invoke(main, ["--url", "http://127.0.0.1:9200/news", "init", str(target)])
    assert res.exit_code == 0, res.output
    assert load_config(target).hosts_and_alias()[1] == "news"


def test_both_backends_have_every_method_of_the_index_protocol() -> None:
    from searchkit.backends.base import Index
    from searchkit.backends.opensearch.index import OpenSearchIndex

    wanted = {name for name in vars(Index) if not name.startswith("_")}
    assert {"compile", "search", "count", "apply", "rebuild", "status", "capabilities"} <= wanted
    for cls in (SearchIndex, OpenSearchIndex):
        assert sorted(n for n in wanted if not hasattr(cls, n)) == [], cls.__name__


def test_the_library_asks_the_index_for_capabilities_not_its_class() -> None:
    from searchkit.backends.base import Capability
    from searchkit.backends.opensearch.index import OpenSearchIndex

    assert SearchIndex.capabilities == {Capability.PARALLEL_WRITE, Capability.PLACED, Capability.VOCABULARY}
    assert OpenSearchIndex.capabilities == {Capability.SHARED}


def test_a_new_home_is_checked_for_an_index_of_its_own_where_the_index_says_others_may_share_it(
        tmp_path: Path) -> None:
    from searchkit.backends.base import Capability

    with Engine.init(tmp_path / "home") as eng:  # (the embedded index is in the home: no one else's)
        assert Capability.SHARED not in eng.backend_index.capabilities
        assert (tmp_path / "home" / "corpus").is_dir()


def test_the_index_state_says_missing_then_current_then_why_a_rebuild_is_due(home: Path) -> None:
    from searchkit.models import IndexStatus

    eng = Engine(home)
    assert eng.index_state() is IndexStatus.MISSING
    assert eng.index_status() == "there is no index yet"
    eng.index()
    assert eng.index_state() is IndexStatus.CURRENT and eng.index_status() is None
    (home / "lexicon.tsv").write_text("можна -> можна\n", encoding="utf-8")
    assert eng.index_state() is IndexStatus.LEXICON_CHANGED
    assert eng.index_status() == IndexStatus.LEXICON_CHANGED.reason == "the lemmas in lexicon.tsv changed"


def test_init_on_a_cluster_that_does_not_answer_says_so_and_keeps_the_home(tmp_path: Path) -> None:
    pytest.importorskip("opensearchpy")
    home = tmp_path / "osh"
    r = CliRunner().invoke(main, ["--url", "http://127.0.0.1:9/news", "init", str(home)])
    assert r.exit_code == 0 and (home / "corpus").is_dir()
    assert "Warning: cannot reach OpenSearch at http://127.0.0.1:9" in r.stderr and "home is kept" in r.stderr


def test_an_existing_home_keeps_its_index_when_the_cluster_named_does_not_answer(home: Path) -> None:
    pytest.importorskip("opensearchpy")
    Engine(home).close()
    r = CliRunner().invoke(main, ["--url", "http://127.0.0.1:9/news", "init", str(home)])
    assert r.exit_code == 2 and "its index settings were not changed: cannot reach OpenSearch" in r.stderr
    assert not (home / CONFIG_FILE).exists()
    assert Engine(home).config == IndexConfig()  # its searches go on as before


def test_init_without_the_cluster_client_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "opensearchpy", None)  # (an import of it fails)
    r = CliRunner().invoke(main, ["--url", "http://127.0.0.1:9200/news", "init", str(tmp_path / "h")])
    assert r.exit_code == 2 and "needs the opensearch-py client" in r.stderr
    assert not (tmp_path / "h").exists()


def test_a_url_with_the_embedded_backend_is_refused_and_whoosh_alone_drops_the_url(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["--backend", "whoosh", "--url", "http://127.0.0.1:9/x", "init", str(tmp_path / "h")])
    assert r.exit_code == 2 and "--url names a cluster: it goes with --backend opensearch" in r.stderr
    cfg = IndexConfig(backend="opensearch", url="http://127.0.0.1:9200/news")
    assert cfg.with_overrides("whoosh") == IndexConfig()  # back to the embedded index, its URL gone
