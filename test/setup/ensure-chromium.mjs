// `npm test`'s pretest step: the browser suite drives Debian's Chromium. On a Debian machine
// where we run as root it installs the package; anywhere else it says what is missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (process.env.CHROMIUM_PATH || !isRoot || !hasApt) {
  console.error(
    `Chromium not found at ${path}. The browser tests need it: on Debian run ` +
      '`sudo apt-get install chromium`, or set CHROMIUM_PATH to a Chromium binary.',
  );
  process.exit(1);
}

console.log('Chromium not found: installing Debian\'s chromium package (apt-get)…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
if (!existsSync(path)) {
  console.error(`apt-get finished but ${path} is still missing.`);
  process.exit(1);
}
