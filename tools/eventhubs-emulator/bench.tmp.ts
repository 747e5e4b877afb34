import { benchEmulator } from './src/bench';
benchEmulator({ events: Number(process.argv[2] ?? 100000), eventBytes: 1024 }).then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });
