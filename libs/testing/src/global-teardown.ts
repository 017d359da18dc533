export default async function globalTeardown(): Promise<void> {
  for (const container of globalThis.__THIHANH_CONTAINERS__ ?? []) await container.stop();
}
