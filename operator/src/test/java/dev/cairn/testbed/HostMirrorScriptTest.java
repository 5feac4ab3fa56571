package dev.cairn.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/lib-debian.sh}, the one reader of the host's apt sources for the scripts that
 * fetch from Debian, run by bash on source files written as sites write them.
 */
class HostMirrorScriptTest {
  private static final Path LIB = Path.of("..", "scripts", "lib-debian.sh");

  @TempDir
  Path dir;

  @Test
  void everyUriOfOneLineAndDeb822SourcesWithOptionsSkipped() throws Exception {
    Path oneLine = write("a.list", """
        # a comment naming http://not.a.source/
        deb [arch=amd64 signed-by=/usr/share/keyrings/site.gpg] http://mirror.example/debian bookworm main
        deb-src http://src.example/debian bookworm main
        deb [ arch=amd64 ] http://spaced.example/debian bookworm main
        deb http://plain.example/debian bookworm main
        """);
    Path deb822 = write("b.sources", """
        Types: deb
        URIs: http://security.debian.org/debian-security http://deb.example/debian
        Suites: bookworm
        """);
    assertThat(run("host_uris", oneLine, deb822)).containsExactly("http://mirror.example/debian",
        "http://spaced.example/debian", "http://plain.example/debian", "http://security.debian.org/debian-security",
        "http://deb.example/debian");
    assertThat(run("host_mirror", deb822)).as("not the security archive").containsExactly("http://deb.example/debian");
    assertThat(run("host_mirror", oneLine)).containsExactly("http://mirror.example/debian");
    assertThat(run("host_mirror", write("empty.list", "# nothing\n"))).isEmpty();
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static List<String> run(String function, Path... files) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "-c", "source \"$0\"; " + function + " \"$@\"",
        LIB.toString()));
    for (Path f : files) {
      command.add(f.toString());
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }
}
