// PostgreSQL statements marked PREPARED_MARK run as named prepared statements (parsed and planned
// once per connection); every other statement stays unnamed, so texts that vary with their data
// never pile up in a connection's cache of prepared statements.
import { describe, expect, it } from 'vitest';
import { raw, sqltag } from '@prisma/client/runtime/client';
import { PREPARED_MARK } from '../../lib/db-client';
import { useTestDatabase } from '../helpers/use-database';

describe('prepared statements on postgres', () => {
  const { db } = useTestDatabase('postgres');
  // The statement counts the prepared statements of its session whose text holds its own marker
  // word, so it finds itself exactly when it runs as a named prepared statement.
  const probe = (mark: string, word: string) =>
    db().$queryRaw<Array<{ n: number }>>(
      sqltag`${raw(mark)} SELECT count(*)::int AS n FROM pg_prepared_statements
        WHERE statement LIKE '%' || ${raw(`'${word}'`)} || '%'`,
    );

  it('runs a marked statement prepared, every time, and leaves an unmarked one unnamed', async () => {
    expect(await probe('', 'probe-unmarked')).toEqual([{ n: 0 }]);
    for (let run = 0; run < 3; run++) expect(await probe(PREPARED_MARK, 'probe-marked')).toEqual([{ n: 1 }]);
    // A second marked text gets a name of its own (one name for two texts would be an error).
    expect(await probe(PREPARED_MARK, 'probe-other')).toEqual([{ n: 1 }]);
  });
});
