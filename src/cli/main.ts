import { runPartnersCli } from './partners-cli';

// `npm run partners -- <command>`: manage the partner registry the app reads (see USAGE).
runPartnersCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => (process.exitCode = code),
  () => (process.exitCode = 1),
);
