"""The query suite against PostgreSQL, with its own figures beside SQLite's.

Runs when ``ENGAGEMENT_BENCH_PG`` (or ``ENGAGEMENT_TEST_PG``) holds a server URL such as
``postgresql+psycopg://postgres@127.0.0.1:55432/postgres``: the generated data is loaded into
a fresh database there (dropped afterwards), and the baseline is the same SQL sent with
``psycopg`` directly. ``BENCH_PG_SCALE`` picks another scale for it (generating a million
interactions into PostgreSQL takes a while).
"""

from __future__ import annotations

import os
import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from bench.cases.queries import DORMANT_READ, DORMANT_WHERE, PAGE_ID_ORDER, READ_PAGE, suite, words
from bench.context import SCALES
from bench.harness import Measure, failure

if TYPE_CHECKING:
    from bench.context import Context

AREA = "queries"
# Both sides read each document's stored tsvector (migration 0010), as ours does.
SEARCH_BASELINE = "psycopg, same query and columns (the stored tsvector column)"


class PgRaw:
    label = "psycopg"

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def _all(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def _page(self, ids: list[int]) -> list[list[Any]]:
        return [self._all(sql.format(ids="= ANY(%s)"), (ids,)) for sql in READ_PAGE]

    def history(self, stakeholder_id: int) -> object:
        self._all("SELECT id FROM stakeholders WHERE id = %s", (stakeholder_id,))
        ids = [
            row[0]
            for row in self._all(
                "SELECT l.interaction_id FROM interaction_stakeholders l "
                "JOIN interactions i ON i.id = l.interaction_id "
                f"WHERE l.stakeholder_id = %s {PAGE_ID_ORDER}",
                (stakeholder_id,),
            )
        ]
        return self._page(ids)

    def rank(self, word: str) -> list[Any]:
        return self._all(
            "SELECT interaction_id, ts_rank_cd(vector, q) AS r "
            "FROM interaction_documents, to_tsquery('simple', %s) AS q "
            "WHERE vector @@ q ORDER BY r DESC LIMIT 50",
            (word,),
        )

    def search(self, word: str) -> object:
        return self._page([row[0] for row in self.rank(word)])

    def dormant(self, cutoff: str, limit: int | None) -> object:
        day = date.fromisoformat(cutoff)
        rows = self._all(DORMANT_READ[0].format(cutoff="%s", limit="%s"), (day, limit))
        if limit is None:
            chosen = (
                f"IN (SELECT s.id FROM stakeholders s WHERE {DORMANT_WHERE.format(cutoff='%s')})"
            )
            params: tuple[Any, ...] = (day,)
        else:
            chosen, params = "= ANY(%s)", ([row[0] for row in rows],)
        others = [self._all(sql.format(ids=chosen), params) for sql in DORMANT_READ[1:]]
        return rows, others


def server() -> str | None:
    return os.environ.get("ENGAGEMENT_BENCH_PG") or os.environ.get("ENGAGEMENT_TEST_PG")


def run(context: Context) -> list[Measure]:
    admin = server()
    if not admin:
        print("pg: skipped (set ENGAGEMENT_BENCH_PG or ENGAGEMENT_TEST_PG)", flush=True)
        return []
    import psycopg
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from engagement.tracker import Tracker

    scale = SCALES[os.environ.get("BENCH_PG_SCALE", context.scale.name)]
    admin_url = make_url(admin)
    name = f"bench_{scale.name}_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    try:
        print(
            f"pg: generating {scale.stakeholders:,} / {scale.interactions:,} into {name} …",
            flush=True,
        )
        tracker = Tracker(url)
        report = tracker.generate_bench_data(
            stakeholders=scale.stakeholders, interactions=scale.interactions, seed=1
        )
        print(f"  generated {report.rows:,} rows at {report.rows_per_second:,.0f} rows/s")
        # Statistics, as autovacuum would gather soon after a real load: without them the
        # planner hash-joins whole tables to read 50 ids, on both sides of every comparison.
        analyzing = create_engine(url, isolation_level="AUTOCOMMIT")
        with analyzing.connect() as connection:
            connection.execute(text("ANALYZE"))
        analyzing.dispose()
        plain = admin_url.set(drivername="postgresql", database=name)
        with psycopg.connect(plain.render_as_string(hide_password=False)) as raw:
            raw.autocommit = True
            pg_raw = PgRaw(raw)
            key = pg_raw._all(
                "SELECT stakeholder_id, count(*) FROM interaction_stakeholders "
                "GROUP BY stakeholder_id ORDER BY count(*) DESC LIMIT 1",
                (),
            )[0]
            last = pg_raw._all("SELECT max(start_on) FROM interactions", ())[0][0]
            measures = suite(
                tracker,
                pg_raw,
                key_id=int(key[0]),
                key_count=int(key[1]),
                search_words=words(context.raw),
                last_day=last,
                repeats=context.scale.repeats,
                backend=f"postgresql ({scale.name}: {scale.interactions:,} interactions)",
            )
            for measure in measures:
                if measure.name.startswith("full-text search"):
                    measure.baseline = SEARCH_BASELINE
            measures.insert(
                0,
                Measure(
                    area=AREA,
                    name="generate into PostgreSQL",
                    target="≥ 100,000 rows/s (SQLite's target; informative here)",
                    ours_p50=round(report.rows_per_second),
                    ours_p95=round(report.rows_per_second),
                    unit="rows/s",
                    repeats=1,
                    backend="postgresql",
                    note=f"{report.rows:,} rows in {report.seconds:.0f} s",
                ),
            )
        tracker.close()
        return measures
    except Exception as error:
        return [failure(AREA, "PostgreSQL suite", "", error, "postgresql")]
    finally:
        with engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        engine.dispose()
