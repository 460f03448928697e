/// One named, versioned schema change. Migrations run in order at start; each runs once.
struct Migration: Sendable {
    var version: Int
    var name: String
    /// The statements, given the engine so the few dialect-specific parts can differ.
    var statements: @Sendable (any SQLBackend) -> [String]

    /// Every migration of the product, oldest first. Never edit a released one: add a new one.
    static let all: [Migration] = [
        Migration(version: 1, name: "initial schema") { backend in
            [
                """
                CREATE TABLE tenants (
                  id TEXT PRIMARY KEY,
                  name TEXT NOT NULL,
                  time_zone TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE counters (
                  tenant_id TEXT NOT NULL,
                  name TEXT NOT NULL,
                  value BIGINT NOT NULL,
                  PRIMARY KEY (tenant_id, name)
                )
                """,
                """
                CREATE TABLE units (
                  tenant_id TEXT NOT NULL,
                  code TEXT NOT NULL,
                  name TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  parent_code TEXT,
                  population BIGINT,
                  active BIGINT NOT NULL DEFAULT 1,
                  PRIMARY KEY (tenant_id, code)
                )
                """,
                """
                CREATE TABLE categories (
                  tenant_id TEXT NOT NULL,
                  code TEXT NOT NULL,
                  name TEXT NOT NULL,
                  level BIGINT NOT NULL,
                  parent_code TEXT,
                  active BIGINT NOT NULL DEFAULT 1,
                  PRIMARY KEY (tenant_id, code)
                )
                """,
                """
                CREATE TABLE tickets (
                  id TEXT PRIMARY KEY,
                  tenant_id TEXT NOT NULL,
                  number TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  channel TEXT NOT NULL,
                  title TEXT NOT NULL,
                  description TEXT NOT NULL,
                  category_code TEXT,
                  urgency TEXT NOT NULL,
                  latitude DOUBLE PRECISION,
                  longitude DOUBLE PRECISION,
                  address TEXT,
                  district_code TEXT,
                  street_code TEXT,
                  complainant_name TEXT,
                  complainant_phone TEXT,
                  complainant_email TEXT,
                  complainant_anonymous BIGINT NOT NULL DEFAULT 0,
                  lead_unit TEXT,
                  co_units TEXT NOT NULL DEFAULT '',
                  status TEXT NOT NULL,
                  accept_due BIGINT,
                  contact_due BIGINT,
                  resolution_due BIGINT,
                  return_due BIGINT,
                  merged_into TEXT,
                  reply TEXT,
                  reply_resolved BIGINT,
                  eval_contacted BIGINT,
                  eval_resolved BIGINT,
                  eval_satisfaction TEXT,
                  eval_comment TEXT,
                  reopen_count BIGINT NOT NULL DEFAULT 0,
                  return_count BIGINT NOT NULL DEFAULT 0,
                  created_at BIGINT NOT NULL,
                  updated_at BIGINT NOT NULL,
                  closed_at BIGINT,
                  version BIGINT NOT NULL,
                  UNIQUE (tenant_id, number)
                )
                """,
                "CREATE INDEX tickets_created ON tickets (tenant_id, created_at, id)",
                "CREATE INDEX tickets_status ON tickets (tenant_id, status, created_at)",
                "CREATE INDEX tickets_unit ON tickets (tenant_id, lead_unit, created_at)",
                "CREATE INDEX tickets_district ON tickets (tenant_id, district_code, created_at)",
                "CREATE INDEX tickets_category ON tickets (tenant_id, category_code, created_at)",
                "CREATE INDEX tickets_due ON tickets (tenant_id, resolution_due, id)",
                """
                CREATE TABLE events (
                  id \(backend.autoIncrementPrimaryKey),
                  tenant_id TEXT NOT NULL,
                  ticket_id TEXT NOT NULL REFERENCES tickets (id),
                  seq BIGINT NOT NULL,
                  type TEXT NOT NULL,
                  at BIGINT NOT NULL,
                  actor_name TEXT NOT NULL,
                  actor_role TEXT NOT NULL,
                  actor_unit TEXT,
                  from_status TEXT,
                  to_status TEXT NOT NULL,
                  payload TEXT NOT NULL,
                  UNIQUE (ticket_id, seq)
                )
                """,
                "CREATE INDEX events_tenant_at ON events (tenant_id, at)",
                """
                CREATE TABLE users (
                  username TEXT PRIMARY KEY,
                  tenant_id TEXT NOT NULL,
                  display_name TEXT NOT NULL,
                  role TEXT NOT NULL,
                  unit_code TEXT,
                  password_hash TEXT NOT NULL,
                  active BIGINT NOT NULL DEFAULT 1,
                  created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE sessions (
                  token_hash TEXT PRIMARY KEY,
                  username TEXT NOT NULL REFERENCES users (username),
                  created_at BIGINT NOT NULL,
                  expires_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE api_keys (
                  id TEXT PRIMARY KEY,
                  tenant_id TEXT NOT NULL,
                  name TEXT NOT NULL,
                  role TEXT NOT NULL,
                  key_hash TEXT NOT NULL UNIQUE,
                  created_at BIGINT NOT NULL,
                  revoked_at BIGINT
                )
                """,
            ] + backend.fullTextSearchSchema + backend.appendOnlyEventsSchema
        },
        Migration(version: 2, name: "return disputes and arbitration") { _ in
            [
                "ALTER TABLE tickets ADD COLUMN disputes BIGINT NOT NULL DEFAULT 0",
                // Duplicate clusters: the tickets merged into one.
                "CREATE INDEX tickets_merged_into ON tickets (tenant_id, merged_into)",
            ]
        },
        Migration(version: 3, name: "Open311: media, attributes, tokens") { _ in
            [
                "ALTER TABLE tickets ADD COLUMN media_url TEXT",
                // Attribute answers as a JSON object (code → values); empty text for none.
                "ALTER TABLE tickets ADD COLUMN attributes TEXT NOT NULL DEFAULT ''",
                """
                CREATE TABLE open311_tokens (
                  token TEXT PRIMARY KEY,
                  tenant_id TEXT NOT NULL,
                  ticket_number TEXT NOT NULL,
                  created_at BIGINT NOT NULL
                )
                """,
            ]
        },
        Migration(version: 4, name: "accountability loop: sweeper, follow-up, assessment counters, notifications") { _ in
            // Written out, not derived from TicketStatus: a released migration never changes.
            let openWork = "'dispatched', 'accepted', 'contacted', 'reopened', 'returned', 'arbitration'"
            return [
                // Deadline marks, summons, extension request and follow-up state as JSON.
                "ALTER TABLE tickets ADD COLUMN oversight TEXT NOT NULL DEFAULT ''",
                // When the sweeper next has something to do; partial index so a sweep reads only due rows.
                "ALTER TABLE tickets ADD COLUMN next_check_at BIGINT",
                "ALTER TABLE tickets ADD COLUMN followup_since BIGINT",
                "ALTER TABLE tickets ADD COLUMN extension_requested_at BIGINT",
                "ALTER TABLE tickets ADD COLUMN escalated_at BIGINT",
                // Open work filed before this migration is looked at by the first sweep.
                "UPDATE tickets SET next_check_at = 0 WHERE status IN (\(openWork))",
                "CREATE INDEX tickets_next_check ON tickets (next_check_at) WHERE next_check_at IS NOT NULL",
                "CREATE INDEX tickets_followup ON tickets (tenant_id, followup_since) WHERE followup_since IS NOT NULL",
                "CREATE INDEX tickets_extension ON tickets (tenant_id, extension_requested_at) WHERE extension_requested_at IS NOT NULL",
                "CREATE INDEX tickets_escalated ON tickets (tenant_id, escalated_at) WHERE escalated_at IS NOT NULL",
                // The live assessment counters: one row per city, day, unit and metric, added to
                // in the same transaction as the events they come from.
                """
                CREATE TABLE unit_stats (
                  tenant_id TEXT NOT NULL,
                  day TEXT NOT NULL,
                  unit_code TEXT NOT NULL,
                  metric TEXT NOT NULL,
                  value BIGINT NOT NULL,
                  PRIMARY KEY (tenant_id, day, unit_code, metric)
                )
                """,
                // The outbox of messages to complainants; a relay delivers them.
                """
                CREATE TABLE notifications (
                  id TEXT PRIMARY KEY,
                  tenant_id TEXT NOT NULL,
                  ticket_id TEXT NOT NULL,
                  ticket_number TEXT NOT NULL,
                  event_seq BIGINT NOT NULL,
                  kind TEXT NOT NULL,
                  channel TEXT NOT NULL,
                  recipient TEXT,
                  text TEXT NOT NULL,
                  asks_rating BIGINT NOT NULL,
                  status TEXT NOT NULL,
                  attempts BIGINT NOT NULL DEFAULT 0,
                  created_at BIGINT NOT NULL,
                  next_attempt_at BIGINT NOT NULL,
                  sent_at BIGINT,
                  error TEXT
                )
                """,
                "CREATE INDEX notifications_pending ON notifications (next_attempt_at) WHERE status = 'pending'",
                "CREATE INDEX notifications_ticket ON notifications (tenant_id, ticket_number, created_at)",
            ]
        },
        Migration(version: 5, name: "per-city sweeps and relays read only due rows") { _ in
            [
                // Without these, a sweep or relay limited to one city walks every row of the city
                // through a (tenant_id, …) index and sorts them (measured: 0.7 s per batch at 1 M).
                "CREATE INDEX tickets_city_next_check ON tickets (tenant_id, next_check_at) WHERE next_check_at IS NOT NULL",
                "CREATE INDEX notifications_city_pending ON notifications (tenant_id, next_attempt_at) WHERE status = 'pending'",
            ]
        },
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
        Migration(version: 15, name: "contact data sealed at rest") { _ in
            [
                // The id of the key that sealed a row's contact data ('' for data written before
                // sealing, NULL for none), so `keys rotate` finds what to re-seal by index.
                "ALTER TABLE tickets ADD COLUMN contact_key TEXT",
                "ALTER TABLE notifications ADD COLUMN contact_key TEXT",
                """
                UPDATE tickets SET contact_key = '' WHERE complainant_name IS NOT NULL OR complainant_phone IS NOT NULL OR complainant_email IS NOT NULL
                """,
                "UPDATE notifications SET contact_key = '' WHERE recipient IS NOT NULL",
                "CREATE INDEX tickets_contact_key ON tickets (contact_key, id) WHERE contact_key IS NOT NULL",
                "CREATE INDEX notifications_contact_key ON notifications (contact_key, id) WHERE contact_key IS NOT NULL",
            ]
        },
        Migration(version: 16, name: "access log of contact data") { backend in
            [
                // Every disclosure of unmasked contact data: who, role, unit, ticket, when, which face.
                """
                CREATE TABLE access_log (
                  id TEXT PRIMARY KEY,
                  tenant_id TEXT NOT NULL,
                  at BIGINT NOT NULL,
                  actor TEXT NOT NULL,
                  role TEXT NOT NULL,
                  unit TEXT,
                  ticket_number TEXT NOT NULL,
                  route TEXT NOT NULL
                )
                """,
                "CREATE INDEX access_log_time ON access_log (tenant_id, at)",
                "CREATE INDEX access_log_ticket ON access_log (tenant_id, ticket_number, at)",
                "CREATE INDEX access_log_actor ON access_log (tenant_id, actor, at)",
            ] + backend.appendOnlySchema(table: "access_log")
        },
        Migration(version: 17, name: "erasure of contact data") { backend in
            backend.erasableEventsSchema + [
                // The retention purge walks a city's finished tickets that still hold contacts.
                "CREATE INDEX tickets_retention ON tickets (tenant_id, closed_at, id) WHERE contact_key IS NOT NULL",
            ]
        },
    ]
}
