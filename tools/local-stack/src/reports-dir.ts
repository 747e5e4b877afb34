import path from 'node:path';
import { WORKSPACE_ROOT } from './build-apps';

/**
 * Where `npm run bench` and `npm run test:faults` write their reports by default: a git-ignored
 * folder, so a run never dirties committed files. `--out docs` publishes them (docs/ is committed).
 */
export const DEFAULT_REPORTS_DIR = path.join(WORKSPACE_ROOT, '.local', 'reports');
