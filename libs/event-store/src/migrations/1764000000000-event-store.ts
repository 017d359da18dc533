import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event store's tables and its append function. See docs/adr/0003-event-store.md.
 *
 * es_events is the log and the outbox. data and metadata are `json`, not `jsonb`: json keeps the
 * exact text the writer sent, so the writer hashes those bytes and a verifier hashes the same bytes
 * back without parsing (see libs/event-store/src/hashing.ts). Per stream:
 *   hash = sha256(prev_hash || int8(version) || digest), digest = sha256(fields) from the writer;
 * the version is bound here, where it is assigned.
 */
export class EventStore1764000000000 implements MigrationInterface {
  name = 'EventStore1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE es_events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        stream_id text NOT NULL,
        stream_type text NOT NULL,
        stream_version bigint NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        schema_version integer NOT NULL,
        data json NOT NULL,
        metadata json NOT NULL,
        recorded_at timestamptz NOT NULL,
        prev_hash bytea NOT NULL,
        hash bytea NOT NULL,
        CONSTRAINT es_events_stream_version_uq UNIQUE (stream_id, stream_version),
        CONSTRAINT es_events_event_id_uq UNIQUE (event_id)
      )`);
    // Commit-safe reads walk this index: (transaction id, position) below the snapshot's xmin.
    await q.query(`CREATE INDEX es_events_commit_order_ix ON es_events (transaction_id, global_position)`);
    await q.query(`
      CREATE TABLE es_checkpoints (
        name text PRIMARY KEY,
        transaction_id xid8 NOT NULL,
        global_position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE es_seals (
        seq bigint PRIMARY KEY,
        after_transaction_id xid8 NOT NULL,
        after_position bigint NOT NULL,
        to_transaction_id xid8 NOT NULL,
        to_position bigint NOT NULL,
        event_count integer NOT NULL,
        first_position bigint NOT NULL,
        -- The sealed positions as sorted ranges ("1-500,502-900"): a verifier names exactly which
        -- positions went missing or appeared, not just that the range changed.
        positions text NOT NULL,
        prev_hash bytea NOT NULL,
        hash bytea NOT NULL,
        sealed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE FUNCTION es_append(
        p_stream_id text, p_stream_type text, p_expected bigint,
        p_event_ids uuid[], p_types text[], p_schema_versions integer[],
        p_data json[], p_metadata json[], p_recorded_at timestamptz[], p_digests bytea[]
      ) RETURNS TABLE (global_position bigint, stream_version bigint, transaction_id text)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v_n integer := cardinality(p_event_ids);
        v_version bigint := 0;
        v_hash bytea := decode(repeat('00', 32), 'hex');
        v_last_xid xid8;
        v_exists boolean;
        v_xid xid8;
        v_prevs bytea[] := ARRAY[]::bytea[];
        v_hashes bytea[] := ARRAY[]::bytea[];
        i integer;
      BEGIN
        IF v_n IS NULL OR v_n = 0 THEN
          RAISE EXCEPTION 'es_append needs at least one event' USING ERRCODE = '22023';
        END IF;
        -- Serialize appends to one stream before this transaction takes its id: the id is then
        -- newer than that of every earlier append to the stream, so commit order (transaction id,
        -- position) follows version order within each stream.
        PERFORM pg_advisory_xact_lock(hashtextextended(p_stream_id, 0));
        SELECT e.stream_version, e.hash, e.transaction_id INTO v_version, v_hash, v_last_xid
          FROM es_events e WHERE e.stream_id = p_stream_id
         ORDER BY e.stream_version DESC LIMIT 1;
        v_exists := FOUND;
        IF NOT v_exists THEN
          v_version := 0;
          v_hash := decode(repeat('00', 32), 'hex');
        END IF;
        IF p_expected >= 0 AND v_version <> p_expected THEN
          RAISE EXCEPTION 'stream % is at version %, expected %', p_stream_id, v_version, p_expected
            USING ERRCODE = 'TH409', DETAIL = v_version::text;
        END IF;
        v_xid := pg_current_xact_id();
        -- Only possible when the caller wrote something earlier in this transaction: the order
        -- above would break, so refuse; the caller retries the whole transaction.
        IF v_exists AND v_xid < v_last_xid THEN
          RAISE EXCEPTION 'transaction % is older than the last append to stream %', v_xid, p_stream_id
            USING ERRCODE = 'TH40R';
        END IF;
        FOR i IN 1..v_n LOOP
          v_prevs[i] := v_hash;
          v_hash := sha256(v_hash || int8send(v_version + i) || p_digests[i]);
          v_hashes[i] := v_hash;
        END LOOP;
        RETURN QUERY
          INSERT INTO es_events AS e (stream_id, stream_type, stream_version, event_id, event_type,
                                      schema_version, data, metadata, recorded_at, prev_hash, hash)
          SELECT p_stream_id, p_stream_type, v_version + u.ord, u.event_id, u.event_type,
                 u.schema_version, u.data, u.metadata, u.recorded_at, u.prev_hash, u.hash
            FROM unnest(p_event_ids, p_types, p_schema_versions, p_data, p_metadata, p_recorded_at,
                        v_prevs, v_hashes)
                 WITH ORDINALITY AS u(event_id, event_type, schema_version, data, metadata,
                                      recorded_at, prev_hash, hash, ord)
           ORDER BY u.ord
          RETURNING e.global_position, e.stream_version, e.transaction_id::text;
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS es_append(text, text, bigint, uuid[], text[], integer[], json[], json[], timestamptz[], bytea[])`);
    await q.query(`DROP TABLE IF EXISTS es_seals`);
    await q.query(`DROP TABLE IF EXISTS es_checkpoints`);
    await q.query(`DROP TABLE IF EXISTS es_events`);
  }
}
