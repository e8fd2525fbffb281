import { getDb } from '@/lib/db';
import { jsonError, vmReadRoute } from '@/lib/api/handler';
import { loadReleaseTable } from '@/lib/db/queries/releases';
import { findRelease } from '@/lib/guides/releases';
import { loadGuideSettings } from '@/lib/db/queries/settings';
import { aptSources } from '@/lib/guides/sources-list';

// The VM's apt sources file as a download (browser session or HTTP Basic); another account's VM is a 404.
// It lives under /api/v1 so the one gate answers 401 (not a login redirect) to callers without a session.
export const GET = vmReadRoute<{ id: string }>(async (request, _user, vm) => {
  const db = getDb();
  const backports = new URL(request.url).searchParams.get('backports');
  if (backports !== null && backports !== '0' && backports !== '1') return jsonError(400, 'backports must be 0 or 1.');
  const [{ values: settings }, { releases }] = await Promise.all([loadGuideSettings(db), loadReleaseTable(db)]);
  const release = findRelease(releases, vm.ubuntuRelease);
  if (!release) return jsonError(404, `Ubuntu ${vm.ubuntuRelease} is not in the release table.`);
  const sources = aptSources(release, {
    mirrorUrl: settings.mirrorUrl,
    mirroredSeries: settings.mirrorSeries,
    includeBackports: backports === '1',
    today: new Date(),
  });
  const fileName = sources.path.split('/').at(-1) ?? 'sources.list';
  return new Response(sources.content, {
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName}"`,
    },
  });
});
