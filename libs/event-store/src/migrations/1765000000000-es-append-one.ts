import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * es_append_one: es_append for one event, with scalar parameters and a plain INSERT … VALUES.
 * Most commands append one event; es_append's array parameters (sent as text literals, JSON
 * escaped inside them), unnest … WITH ORDINALITY and RETURN QUERY cost more on the server than the
 * insert itself. Same steps in the same order, same errors, same hash: sha256(prev || int8(version)
 * || digest). See docs/adr/0014-single-event-append-and-verification-in-sql.md.
 */
export class EventStoreAppendOne1765000000000 implements MigrationInterface {
  name = 'EventStoreAppendOne1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION es_append_one(
        p_stream_id text, p_stream_type text, p_expected bigint,
        p_event_id uuid, p_type text, p_schema_version integer,
        p_data json, p_metadata json, p_recorded_at timestamptz, p_digest bytea,
        OUT global_position bigint, OUT stream_version bigint, OUT transaction_id text)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v_version bigint;
        v_hash bytea;
        v_last_xid xid8;
        v_xid xid8;
      BEGIN
        -- As in es_append: serialize appends to the stream before this transaction takes its id.
        PERFORM pg_advisory_xact_lock(hashtextextended(p_stream_id, 0));
        SELECT e.stream_version, e.hash, e.transaction_id INTO v_version, v_hash, v_last_xid
          FROM es_events e WHERE e.stream_id = p_stream_id
         ORDER BY e.stream_version DESC LIMIT 1;
        IF NOT FOUND THEN
          v_version := 0;
          v_hash := decode(repeat('00', 32), 'hex');
        END IF;
        IF p_expected >= 0 AND v_version <> p_expected THEN
          RAISE EXCEPTION 'stream % is at version %, expected %', p_stream_id, v_version, p_expected
            USING ERRCODE = 'TH409', DETAIL = v_version::text;
        END IF;
        v_xid := pg_current_xact_id();
        IF v_last_xid IS NOT NULL AND v_xid < v_last_xid THEN
          RAISE EXCEPTION 'transaction % is older than the last append to stream %', v_xid, p_stream_id
            USING ERRCODE = 'TH40R';
        END IF;
        INSERT INTO es_events AS e (stream_id, stream_type, stream_version, event_id, event_type,
                                    schema_version, data, metadata, recorded_at, prev_hash, hash)
        VALUES (p_stream_id, p_stream_type, v_version + 1, p_event_id, p_type, p_schema_version,
                p_data, p_metadata, p_recorded_at, v_hash, sha256(v_hash || int8send(v_version + 1) || p_digest))
        RETURNING e.global_position, e.stream_version, e.transaction_id::text
             INTO es_append_one.global_position, es_append_one.stream_version, es_append_one.transaction_id;
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS es_append_one(text, text, bigint, uuid, text, integer, json, json, timestamptz, bytea)`);
  }
}
