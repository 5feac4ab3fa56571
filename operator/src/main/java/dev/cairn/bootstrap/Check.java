package dev.cairn.bootstrap;

/** The answer of a step's read-only check: is the host already as the step wants it? */
public record Check(boolean satisfied, String message) {
  public static Check ok() {
    return new Check(true, "");
  }

  public static Check ok(String message) {
    return new Check(true, message);
  }

  /** Satisfied when nothing is wrong; otherwise the wrongs, joined, are the message. */
  public static Check unless(java.util.List<String> wrong) {
    return wrong.isEmpty() ? ok() : missing(String.join("; ", wrong));
  }

  public static Check missing(String message) {
    return new Check(false, message);
  }
}
