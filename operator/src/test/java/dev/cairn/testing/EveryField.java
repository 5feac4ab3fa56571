package dev.cairn.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/** Fills every String and number field of a status with a value, so a copy that drops one shows. */
public final class EveryField {
  private EveryField() {}

  public static <T> T filled(T object) {
    try {
      for (Field f : object.getClass().getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        f.setAccessible(true);
        if (f.getType() == String.class) {
          f.set(object, "value-of-" + f.getName());
        } else if (f.getType() == Long.class || f.getType() == long.class) {
          f.set(object, 7L);
        }
      }
      return object;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
