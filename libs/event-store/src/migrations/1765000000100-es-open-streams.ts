import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * es_open_streams: many new streams, one event each, in one statement — a plan's fan-out opens 2,000
 * cases at once, and one es_append_one round trip per case was most of its time. The same steps as
 * es_append_one for a stream at version 0: each stream's advisory lock (taken in stream-id order, so
 * two callers cannot deadlock), TH409 naming the first stream that already exists, and the same hash,
 * sha256(zeros || int8(1) || digest). New streams have no last transaction id, so the commit-order
 * check has nothing to compare.
 */
export class EventStoreOpenStreams1765000000100 implements MigrationInterface {
  name = 'EventStoreOpenStreams1765000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION es_open_streams(
        p_stream_ids text[], p_stream_types text[], p_event_ids uuid[], p_types text[],
        p_schema_versions integer[], p_data json[], p_metadata json[], p_recorded_at timestamptz[], p_digests bytea[])
      RETURNS TABLE (global_position bigint, stream_id text, transaction_id text)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v_zero bytea := decode(repeat('00', 32), 'hex');
        v_existing text;
        v_version bigint;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended(s.id, 0))
           FROM (SELECT DISTINCT u.id FROM unnest(p_stream_ids) AS u(id) ORDER BY u.id) AS s;
        SELECT e.stream_id, max(e.stream_version) INTO v_existing, v_version
          FROM es_events e WHERE e.stream_id = ANY (p_stream_ids)
         GROUP BY e.stream_id LIMIT 1;
        IF v_existing IS NOT NULL THEN
          RAISE EXCEPTION 'stream % is at version %, expected 0', v_existing, v_version
            USING ERRCODE = 'TH409', DETAIL = v_version::text, HINT = v_existing;
        END IF;
        RETURN QUERY
        INSERT INTO es_events AS e (stream_id, stream_type, stream_version, event_id, event_type,
                                    schema_version, data, metadata, recorded_at, prev_hash, hash)
        SELECT u.s, u.st, 1, u.i, u.y, u.v, u.d, u.m, u.r, v_zero, sha256(v_zero || int8send(1::bigint) || u.g)
          FROM unnest(p_stream_ids, p_stream_types, p_event_ids, p_types, p_schema_versions, p_data, p_metadata, p_recorded_at, p_digests)
               WITH ORDINALITY AS u(s, st, i, y, v, d, m, r, g, n)
         ORDER BY u.n
        RETURNING e.global_position, e.stream_id, e.transaction_id::text;
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS es_open_streams(text[], text[], uuid[], text[], integer[], json[], json[], timestamptz[], bytea[])`);
  }
}
