package dev.cairn.common;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the spec writes them, the way Go's time.Duration prints them: 1h30m, 10m, 90s
 * (hours, minutes, seconds; no fractions). The one parser and printer of them.
 */
public final class GoDuration {
  private static final Pattern FORM = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  private GoDuration() {}

  /** 1h30m, 90s, 10m: what the CRDs' patterns admit. */
  public static Duration parse(String value) {
    Matcher m = FORM.matcher(value);
    if (value.isEmpty() || !m.matches()) {
      throw new IllegalArgumentException("not a duration like 90s, 10m or 1h30m: " + value);
    }
    return Duration.ofHours(group(m, 1)).plusMinutes(group(m, 2)).plusSeconds(group(m, 3));
  }

  private static long group(Matcher m, int i) {
    return m.group(i) == null ? 0 : Long.parseLong(m.group(i));
  }

  /** As Go's time.Duration prints it: 1h30m0s, 10m0s, 45s. */
  public static String format(Duration d) {
    long h = d.toHours();
    long m = d.toMinutesPart();
    long s = d.toSecondsPart();
    return h > 0 ? h + "h" + m + "m" + s + "s" : m > 0 ? m + "m" + s + "s" : s + "s";
  }
}
