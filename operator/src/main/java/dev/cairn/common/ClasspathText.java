package dev.cairn.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Text shipped in the jar beside a class: scripts, manifests, CRDs. A missing one is a build error. */
public final class ClasspathText {
  private ClasspathText() {}

  /** The resource {@code name}, resolved as {@link Class#getResourceAsStream} does from {@code owner}. */
  public static String read(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " beside " + owner.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
