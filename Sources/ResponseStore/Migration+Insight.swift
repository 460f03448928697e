extension Migration {
    /// Knowledge, demand and insight (versions 6–14).
    static let insight: [Migration] = [
        Migration(version: 6, name: "knowledge base") { _ in
            [
                // Searched in memory (KnowledgeIndex): the table is the durable copy.
                """
                CREATE TABLE kb_articles (
                  id TEXT PRIMARY KEY,
                  tenant_id TEXT NOT NULL,
                  title TEXT NOT NULL,
                  body TEXT NOT NULL,
                  categories TEXT NOT NULL DEFAULT '',
                  valid_until BIGINT,
                  uses BIGINT NOT NULL DEFAULT 0,
                  updated_at BIGINT NOT NULL,
                  updated_by TEXT NOT NULL
                )
                """,
                "CREATE INDEX kb_articles_tenant ON kb_articles (tenant_id, id)",
            ]
        },
        Migration(version: 7, name: "demand aggregates and spike alerts") { _ in
            [
                // Tickets filed per city day, category and district, added to in the transaction
                // that files (or re-classifies) the ticket: frequent-problem queries read these,
                // never the tickets. Empty text stands for "unknown" (key columns cannot be NULL).
                // Streets are kept apart (demand_streets): at city scale they would multiply the
                // rows every district-level query reads by the streets per district.
                """
                CREATE TABLE demand_daily (
                  tenant_id TEXT NOT NULL,
                  day TEXT NOT NULL,
                  category_code TEXT NOT NULL,
                  district_code TEXT NOT NULL,
                  tickets BIGINT NOT NULL,
                  PRIMARY KEY (tenant_id, day, category_code, district_code)
                )
                """,
                // The same per month, so a query over a year reads twelve months' rows, not 365 days'.
                """
                CREATE TABLE demand_monthly (
                  tenant_id TEXT NOT NULL,
                  month TEXT NOT NULL,
                  category_code TEXT NOT NULL,
                  district_code TEXT NOT NULL,
                  tickets BIGINT NOT NULL,
                  PRIMARY KEY (tenant_id, month, category_code, district_code)
                )
                """,
                // Per street, keyed street first: a street's query reads only its own rows.
                """
                CREATE TABLE demand_streets (
                  tenant_id TEXT NOT NULL,
                  street_code TEXT NOT NULL,
                  day TEXT NOT NULL,
                  category_code TEXT NOT NULL,
                  tickets BIGINT NOT NULL,
                  PRIMARY KEY (tenant_id, street_code, day, category_code)
                )
                """,
                // Per ~200 m grid cell (GridCell), for hotspots; keyed category first because a
                // hotspot query asks for one category's cells.
                """
                CREATE TABLE demand_cells (
                  tenant_id TEXT NOT NULL,
                  category_code TEXT NOT NULL,
                  day TEXT NOT NULL,
                  cell BIGINT NOT NULL,
                  street_code TEXT NOT NULL,
                  tickets BIGINT NOT NULL,
                  PRIMARY KEY (tenant_id, category_code, day, cell, street_code)
                )
                """,
                "CREATE INDEX demand_cells_day ON demand_cells (tenant_id, day)",
                // Repeat callers (kind 'caller', key a hash of the phone digits) and repeat
                // places (kind 'address') per city month.
                """
                CREATE TABLE demand_repeats (
                  tenant_id TEXT NOT NULL,
                  month TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  key TEXT NOT NULL,
                  label TEXT NOT NULL,
                  tickets BIGINT NOT NULL,
                  last_number TEXT NOT NULL,
                  PRIMARY KEY (tenant_id, month, kind, key)
                )
                """,
                "CREATE INDEX demand_repeats_top ON demand_repeats (tenant_id, month, kind, tickets)",
                // Volume spikes raised by the early-warning detector.
                """
                CREATE TABLE alerts (
                  id TEXT PRIMARY KEY,
                  tenant_id TEXT NOT NULL,
                  category_code TEXT NOT NULL,
                  district_code TEXT NOT NULL,
                  window_minutes BIGINT NOT NULL,
                  onset_at BIGINT NOT NULL,
                  detected_at BIGINT NOT NULL,
                  observed BIGINT NOT NULL,
                  expected DOUBLE PRECISION NOT NULL,
                  probability DOUBLE PRECISION NOT NULL,
                  status TEXT NOT NULL,
                  acknowledged_by TEXT,
                  updated_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX alerts_city ON alerts (tenant_id, detected_at)",
            ]
        },
        Migration(version: 8, name: "topics of the month") { backend in
            [
                // The topic as it stands (problems and tasks as JSON), and every version of it.
                """
                CREATE TABLE topics (
                  id TEXT PRIMARY KEY,
                  tenant_id TEXT NOT NULL,
                  month TEXT NOT NULL,
                  body TEXT NOT NULL,
                  updated_at BIGINT NOT NULL,
                  version BIGINT NOT NULL
                )
                """,
                "CREATE INDEX topics_month ON topics (tenant_id, month)",
                """
                CREATE TABLE topic_log (
                  id \(backend.autoIncrementPrimaryKey),
                  topic_id TEXT NOT NULL,
                  tenant_id TEXT NOT NULL,
                  version BIGINT NOT NULL,
                  at BIGINT NOT NULL,
                  actor TEXT NOT NULL,
                  body TEXT NOT NULL
                )
                """,
                "CREATE INDEX topic_log_topic ON topic_log (topic_id, version)",
            ] + backend.appendOnlySchema(table: "topic_log")
        },
        Migration(version: 9, name: "stored briefs") { _ in
            [
                // The last brief built of a city day or month (the JSON it is served as): a
                // brief of a busy city reads a week or a month of cells, too slow to build per request.
                """
                CREATE TABLE briefs (
                  tenant_id TEXT NOT NULL,
                  period TEXT NOT NULL,
                  generated_at BIGINT NOT NULL,
                  body TEXT NOT NULL,
                  PRIMARY KEY (tenant_id, period)
                )
                """,
            ]
        },
        Migration(version: 10, name: "alert webhook retries") { _ in
            [
                // An alert's webhook POST: 'none' (no webhook), 'pending' (due at webhook_next_at),
                // 'sent' or 'failed' (given up); retried like the complainants' outbox.
                "ALTER TABLE alerts ADD COLUMN webhook_state TEXT NOT NULL DEFAULT 'none'",
                "ALTER TABLE alerts ADD COLUMN webhook_attempts BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE alerts ADD COLUMN webhook_next_at BIGINT",
                "CREATE INDEX alerts_webhook_due ON alerts (tenant_id, webhook_next_at) WHERE webhook_state = 'pending'",
            ]
        },
        Migration(version: 11, name: "hotspot cells by place") { _ in
            [
                // A hotspot's growth reads its own cells in the period before: by place, not by
                // scanning every cell of that period.
                "CREATE INDEX demand_cells_place ON demand_cells (tenant_id, cell, day)",
            ]
        },
        Migration(version: 12, name: "stored answers") { _ in
            [
                // Briefs and the console's usual hotspot views are kept the same way: the JSON
                // served, under a name, with the instant it was built.
                "ALTER TABLE briefs RENAME TO stored_answers",
                "ALTER TABLE stored_answers RENAME COLUMN period TO name",
            ]
        },
        Migration(version: 13, name: "tickets by category, time and place") { _ in
            [
                // A hotspot's newest tickets, read off the index alone: the box is tested on its
                // entries, and the numbers are in it, so no ticket row is read.
                "DROP INDEX tickets_category",
                "CREATE INDEX tickets_category ON tickets (tenant_id, category_code, created_at, latitude, longitude, number)",
            ]
        },
        Migration(version: 14, name: "repeat callers and places by day") { _ in
            [
                // Repeats over a rolling window (the last 7 or 30 days), not only a calendar
                // month. Filled by new filings; `insight rebuild` fills the days of older ones.
                """
                CREATE TABLE demand_repeat_days (
                  tenant_id TEXT NOT NULL,
                  day TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  key TEXT NOT NULL,
                  label TEXT NOT NULL,
                  tickets BIGINT NOT NULL,
                  last_number TEXT NOT NULL,
                  PRIMARY KEY (tenant_id, kind, key, day)
                )
                """,
                // A window is summed off this index alone; the labels of the few callers or
                // places listed are then read by key through the primary key.
                "CREATE INDEX demand_repeat_days_window ON demand_repeat_days (tenant_id, kind, day, key, tickets)",
            ]
        },
    ]
}
