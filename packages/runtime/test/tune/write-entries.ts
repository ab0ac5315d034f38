// Child process of tune-store.test.ts: saves `count` entries tagged `tag` to the tune cache at
// argv[2], one save each, so two of these running at once contend for the file.
import { fileTuneStore } from '@kiln/runtime/tune-file-store';

const [path, tag, count] = process.argv.slice(2);
const store = fileTuneStore(path);
for (let i = 0; i < Number(count); i++)
  await store.save({ adapter: { [`${tag}-${i}`]: { schedule: 'default', label: tag ?? '?', ms: i, defaultMs: i, mode: 'quick', at: new Date(0).toISOString() } } });
