// Carrington rotations: when rotation N began. Meeus, Astronomical Algorithms (2nd ed.), chapter 29: the mean start
// JDE = 2398140.2270 + 27.2752316 N plus periodic terms; within about 15 minutes of SunPy's carrington_rotation_time.
// Rotation 1 began on 1853-11-09.

const JD_UNIX_EPOCH = 2440587.5;
const DAY_MS = 86400000;

/** Start of Carrington rotation n as a Date (UTC; the few seconds between TT and UTC are below the formula's accuracy). */
export function rotationStart(n) {
  const m = (281.96 + 26.882476 * n) * Math.PI / 180;
  const jde = 2398140.2270 + 27.2752316 * n + 0.1454 * Math.sin(m) - 0.0085 * Math.sin(2 * m) - 0.0141 * Math.cos(2 * m);
  return new Date(Math.round((jde - JD_UNIX_EPOCH) * DAY_MS));
}

/** The rotation running at a date. */
export function rotationAt(date) {
  let n = Math.floor((date.getTime() / DAY_MS + JD_UNIX_EPOCH - 2398140.2270) / 27.2752316);
  while (rotationStart(n + 1) <= date) n++;
  while (rotationStart(n) > date) n--;
  return n;
}

/** [start, end) of rotation n. */
export const rotationRange = n => [rotationStart(n), rotationStart(n + 1)];
