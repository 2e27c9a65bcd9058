/** The KurrentDB server the tests use, or why there is none. The jest global setup decides and says so once. */
export function testKurrentDb(): { url: string } | { reason: string } {
  const url = process.env['KURRENTDB_URL'];
  if (url) return { url };
  return {
    reason:
      process.env['KURRENTDB_SKIP_REASON'] ??
      'no KurrentDB server: set KURRENTDB_URL, or run where a Docker engine answers',
  };
}
