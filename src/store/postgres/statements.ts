// Every SQL statement of the PostgreSQL store, in one place, for one schema. `$n` parameters
// only: no value is ever spliced into the text (the schema name is quoted as an identifier).

/** The server's clock in ms: tickets are about a waiter being alive, which only one clock can judge across hosts. */
const SERVER_MS = '(extract(epoch from clock_timestamp()) * 1000)::double precision';

export const TURN_COLUMNS = 'seq, role, content, run_id AS "runId", parts, provider_options AS "providerOptions"';
const SUMMARY_COLUMNS = 'id, session_id, status, started_at, finished_at, served_provider, served_model, served_profile_id, error_code, error_message';
const RUN_COLUMNS = `${SUMMARY_COLUMNS}, orphan_messages, orphan_reply, decisions`;
const ATTEMPT_COLUMNS = 'run_id, n, provider, model, profile_id, outcome, reason, scope, status, message, started_at, duration_ms, probe, usage, streamed';
/** How many parameters one attempt row takes in a multi-row insert. */
export const ATTEMPT_WIDTH = 15;
const COOLDOWN_COLUMNS = 'provider, profile_id, model, until, reason, failures';
const NOT_SUCCEEDED = "status IN ('failed', 'aborted', 'orphaned', 'abandoned')";

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The notification channel of a schema's lease releases (its payload is the session id). */
export const releaseChannel = (schema: string): string => `llm_failover_release:${schema}`.slice(0, 63);

export function pgStatements(schema: string) {
  const S = quoteIdent(schema);
  const sessions = `${S}.sessions`;
  const turns = `${S}.turns`;
  const runs = `${S}.runs`;
  const attempts = `${S}.attempts`;
  const cooldowns = `${S}.cooldowns`;
  const tickets = `${S}.lease_tickets`;
  return {
    // Creates the session if new and locks its row for the transaction (DO UPDATE locks where
    // DO NOTHING would not), reading the lease and the head of the waiters' queue in one trip.
    lockSession: `INSERT INTO ${sessions} AS s (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET id = excluded.id
      RETURNING lease_owner, lease_token, lease_expires_at,
        (SELECT ticket FROM ${tickets} t WHERE t.session_id = $1 AND t.expires_at > ${SERVER_MS} ORDER BY ticket LIMIT 1) AS head`,
    /** A waiter's look, without a lock: is the lease held, who is next. */
    peekSession: `SELECT s.lease_owner, s.lease_token, s.lease_expires_at,
        (SELECT ticket FROM ${tickets} t WHERE t.session_id = $1 AND t.expires_at > ${SERVER_MS} ORDER BY ticket LIMIT 1) AS head
      FROM (SELECT $1::text AS id) k LEFT JOIN ${sessions} s ON s.id = k.id`,
    lockHeld: `SELECT lease_owner, lease_token FROM ${sessions} WHERE id = $1 FOR UPDATE`,
    // $1 session, $2 owner, $3 token, $4 expiresAt, $5 now, $6 previous owner (or null)
    grantLease: `WITH abandoned AS (
        UPDATE ${runs} SET status = 'abandoned', finished_at = $5 WHERE id = $6 AND status = 'running'
      ), granted AS (
        UPDATE ${sessions} SET lease_owner = $2, lease_token = $3, lease_expires_at = $4, last_active_at = $5 WHERE id = $1
      )
      INSERT INTO ${runs} (id, session_id, status, lease_token, started_at) VALUES ($2, $1, 'running', $3, $5)`,
    renewLease: `UPDATE ${sessions} SET lease_expires_at = $4 WHERE id = $1 AND lease_owner = $2 AND lease_token = $3`,
    // the release wakes the session's waiters on every host (delivered when the transaction commits)
    releaseLease: `UPDATE ${sessions} SET lease_owner = NULL, lease_expires_at = NULL,
        version = version + (CASE WHEN $4::int > 0 THEN 1 ELSE 0 END), turn_count = turn_count + $4::int, last_active_at = $5
      WHERE id = $1 AND lease_owner = $2 AND lease_token = $3
      RETURNING pg_notify($6, $7)`,

    listTurns: `SELECT ${TURN_COLUMNS} FROM ${turns} WHERE session_id = $1 ORDER BY seq`,
    turnsAfter: `SELECT ${TURN_COLUMNS} FROM ${turns} WHERE session_id = $1 AND seq > $2 ORDER BY seq`,
    turnsOfRun: `SELECT ${TURN_COLUMNS} FROM ${turns} WHERE run_id = $1 ORDER BY run_index`,
    lastSeq: `SELECT seq FROM ${turns} WHERE session_id = $1 ORDER BY seq DESC LIMIT 1`,
    /** VALUES rows of 8 parameters each are appended by the caller. */
    insertTurnsHead: `INSERT INTO ${turns} (session_id, seq, role, content, parts, provider_options, run_id, run_index) VALUES `,
    insertTurnsTail: ' ON CONFLICT (run_id, run_index) DO NOTHING',

    runStatus: `SELECT status FROM ${runs} WHERE id = $1`,
    getRun: `SELECT ${RUN_COLUMNS} FROM ${runs} WHERE id = $1`,
    // $1 runId, $2 now, $3 provider, $4 model, $5 profileId, $6 decisions
    markSucceeded: `UPDATE ${runs} SET status = 'succeeded', finished_at = $2,
        served_provider = $3, served_model = $4, served_profile_id = $5, decisions = $6 WHERE id = $1`,
    // an orphan keeps everything the provider returned, even if its row was marked abandoned meanwhile
    // $1 runId, $2 session, $3 now, $4 provider, $5 model, $6 profileId, $7 messages, $8 reply, $9 decisions, $10 code, $11 message
    upsertOrphan: `INSERT INTO ${runs} AS r (id, session_id, status, started_at, finished_at, served_provider, served_model, served_profile_id,
        orphan_messages, orphan_reply, decisions, error_code, error_message)
      VALUES ($1, $2, 'orphaned', $3, $3, $4, $5, $6, $7, $8, $9, $10, $11)
      ON CONFLICT (id) DO UPDATE SET status = 'orphaned', finished_at = excluded.finished_at,
        served_provider = excluded.served_provider, served_model = excluded.served_model, served_profile_id = excluded.served_profile_id,
        orphan_messages = excluded.orphan_messages, orphan_reply = excluded.orphan_reply,
        decisions = coalesce(excluded.decisions, r.decisions),
        error_code = coalesce(excluded.error_code, r.error_code), error_message = coalesce(excluded.error_message, r.error_message)`,
    // $1 runId, $2 session, $3 status, $4 now, $5 code, $6 message, $7 decisions
    insertEndedRun: `INSERT INTO ${runs} (id, session_id, status, started_at, finished_at, error_code, error_message, decisions)
      VALUES ($1, $2, $3, $4, $4, $5, $6, $7)`,
    // $1 runId, $2 status, $3 now, $4 code, $5 message, $6 decisions
    endRun: `UPDATE ${runs} SET status = $2, finished_at = $3, error_code = $4, error_message = $5, decisions = coalesce($6, decisions) WHERE id = $1`,
    // a failure reported after the reply was orphaned explains it without hiding the orphan
    noteOrphanError: `UPDATE ${runs} SET error_code = $2, error_message = $3, decisions = coalesce($4, decisions) WHERE id = $1`,
    /** Closing a store: its runs in flight end failed, if they are still running. $1 runIds, $2 now, $3 message */
    closeRuns: `UPDATE ${runs} SET status = 'failed', finished_at = $2, error_code = 'STORE_CLOSED', error_message = $3
      WHERE id = ANY($1::text[]) AND status = 'running'`,
    listOrphans: `SELECT ${RUN_COLUMNS} FROM ${runs} WHERE status = 'orphaned' ORDER BY finished_at, id`,

    /** VALUES rows of 13 parameters each are appended by the caller. */
    insertAttemptsHead: `INSERT INTO ${attempts} (${ATTEMPT_COLUMNS}) VALUES `,
    insertAttemptsTail: ' ON CONFLICT (run_id, n) DO NOTHING',
    listAttempts: `SELECT ${ATTEMPT_COLUMNS} FROM ${attempts} WHERE run_id = $1 ORDER BY n`,

    // $1 session, $2 runId, $3 ttl ms
    insertTicket: `INSERT INTO ${tickets} (session_id, run_id, expires_at) VALUES ($1, $2, ${SERVER_MS} + $3) RETURNING ticket`,
    refreshTicket: `UPDATE ${tickets} SET expires_at = ${SERVER_MS} + $2 WHERE ticket = $1`,
    deleteTickets: `DELETE FROM ${tickets} WHERE ticket = ANY($1::bigint[])`,
    deleteExpiredTickets: `DELETE FROM ${tickets} WHERE session_id = $1 AND expires_at <= ${SERVER_MS}`,
    deleteLapsedTickets: `DELETE FROM ${tickets} WHERE expires_at <= ${SERVER_MS}`,

    // the chain's order, then the key: what SQLite answers by reading provider after provider
    // ended rows within the memory come too ($3 = $2 - the memory): they still count failures,
    // and their probe may be claimed
    activeCooldowns: `SELECT ${COOLDOWN_COLUMNS},
        CASE WHEN probe_until > $2 THEN probe_run_id END AS probe_run_id, CASE WHEN probe_until > $2 THEN probe_until END AS probe_until
      FROM ${cooldowns} WHERE provider = ANY($1::text[]) AND until > $3
      ORDER BY array_position($1::text[], provider), profile_id, model`,
    /**
     * All or nothing, in one statement: $1–$3 the keys, $4 the run, $5 now, $6 the claim's end.
     * The rows are locked first, so a concurrent claim waits and then sees this one.
     */
    claimProbe: `WITH k AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS k(provider, profile_id, model)),
      locked AS (SELECT c.provider, c.profile_id, c.model, c.until, c.probe_run_id, c.probe_until FROM ${cooldowns} c
        JOIN k ON c.provider = k.provider AND c.profile_id = k.profile_id AND c.model = k.model FOR UPDATE OF c),
      refused AS (SELECT 1 FROM locked WHERE until > $5 OR (probe_until > $5 AND probe_run_id IS DISTINCT FROM $4::text)),
      claimed AS (UPDATE ${cooldowns} c SET probe_run_id = $4, probe_until = $6 FROM locked l
        WHERE c.provider = l.provider AND c.profile_id = l.profile_id AND c.model = l.model AND NOT EXISTS (SELECT 1 FROM refused)
        RETURNING 1)
      SELECT NOT EXISTS (SELECT 1 FROM refused) AS ok, (SELECT count(*) FROM claimed)::int AS n`,
    allCooldowns: `SELECT ${COOLDOWN_COLUMNS} FROM ${cooldowns} WHERE until > $1 ORDER BY provider, profile_id, model`,
    // max(until): a shorter cooldown written later (another host's, say) never shortens one in force
    upsertCooldown: `INSERT INTO ${cooldowns} AS c (${COOLDOWN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (provider, profile_id, model) DO UPDATE SET
        until = greatest(c.until, excluded.until), reason = excluded.reason, failures = excluded.failures,
        probe_run_id = NULL, probe_until = NULL`,
    /** upsertCooldown of several entries (distinct keys) in one statement: $1–$6 arrays of its six values, one entry per index. */
    upsertCooldowns: `INSERT INTO ${cooldowns} AS c (${COOLDOWN_COLUMNS})
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::double precision[], $5::text[], $6::integer[])
      ON CONFLICT (provider, profile_id, model) DO UPDATE SET
        until = greatest(c.until, excluded.until), reason = excluded.reason, failures = excluded.failures,
        probe_run_id = NULL, probe_until = NULL`,
    /** $1, $2, $3: arrays of provider, profile_id, model (one key per index). */
    deleteCooldowns: `DELETE FROM ${cooldowns} c USING unnest($1::text[], $2::text[], $3::text[]) AS k(provider, profile_id, model)
      WHERE c.provider = k.provider AND c.profile_id = k.profile_id AND c.model = k.model`,
    deleteExpiredCooldowns: `DELETE FROM ${cooldowns} WHERE until <= $1`,
    /** The periodic cleanup: only what ended longer ago than the memory of ended cooldowns ($1 = now - memory). */
    forgetEndedCooldowns: `DELETE FROM ${cooldowns} WHERE until <= $1`,
    deleteCooldownsMatching: `DELETE FROM ${cooldowns} WHERE ($1::text IS NULL OR provider = $1)
      AND ($2::text IS NULL OR profile_id = $2) AND ($3::text IS NULL OR model = $3)`,

    listSessions: `SELECT id, turn_count, lease_owner, lease_expires_at, last_active_at FROM ${sessions}
      ORDER BY last_active_at DESC NULLS LAST, id LIMIT $1`,
    getSession: `SELECT id, turn_count, lease_owner, lease_expires_at, last_active_at FROM ${sessions} WHERE id = $1`,
    runsOfSession: `SELECT ${SUMMARY_COLUMNS} FROM ${runs} WHERE session_id = $1 ORDER BY started_at DESC, id DESC`,
    // $1 session or null, $2 failed only, $3 limit
    listRuns: `SELECT ${SUMMARY_COLUMNS} FROM ${runs} WHERE ($1::text IS NULL OR session_id = $1) AND (NOT $2::boolean OR ${NOT_SUCCEEDED})
      ORDER BY started_at DESC, id DESC LIMIT $3`,
    // one batch in one statement: the rows, their attempts, and the counts (locked rows are left for the next batch)
    pruneBatch: `WITH doomed AS (
        SELECT id, status FROM ${runs} WHERE started_at < $1 AND status <> 'running' AND finished_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED
      ), gone_attempts AS (
        DELETE FROM ${attempts} a USING doomed d WHERE a.run_id = d.id RETURNING 1
      ), gone AS (
        DELETE FROM ${runs} r USING doomed d WHERE r.id = d.id RETURNING d.status
      )
      SELECT (SELECT count(*) FROM gone WHERE status <> 'orphaned')::int AS runs,
        (SELECT count(*) FROM gone WHERE status = 'orphaned')::int AS orphans,
        (SELECT count(*) FROM gone_attempts)::int AS attempts`,
  };
}

export type PgStatements = ReturnType<typeof pgStatements>;
