package dev.cairn.common;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** One value of a Secret, from {@code data} (base64, as the API server returns it) or {@code stringData}. */
public final class SecretData {
  private SecretData() {}

  public static Optional<String> get(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().get(key) != null) {
      return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
    }
    return secret.getStringData() == null ? Optional.empty() : Optional.ofNullable(secret.getStringData().get(key));
  }
}
