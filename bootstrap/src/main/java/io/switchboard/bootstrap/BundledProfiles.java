package io.switchboard.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The profiles shipped inside the jar: {@code docs/profiles/NAME.yaml} is bundled as the class-path
 * resource {@code profiles/NAME.yaml} and selected with {@code --profile NAME}.
 */
final class BundledProfiles {
    static final String DIRECTORY = "profiles";
    private static final String SUFFIX = ".yaml";

    private BundledProfiles() {
    }

    /** Adds profile {@code name} as a layer of {@code values}; an unknown name is a problem listing the bundled ones. */
    static void addTo(ConfigValues values, String name) {
        List<String> bundled = names();
        if (!bundled.contains(name)) {
            values.problem("--profile: unknown profile '" + name + "'; bundled profiles: "
                    + (bundled.isEmpty() ? "(none)" : String.join(", ", bundled)));
            return;
        }
        values.withResource("--profile " + name, resource(name));
    }

    static String resource(String name) {
        return DIRECTORY + "/" + name + SUFFIX;
    }

    /** The bundled profile names, sorted; read from the jar, or from the directory when run from classes. */
    static List<String> names() {
        URL directory = BundledProfiles.class.getClassLoader().getResource(DIRECTORY);
        if (directory == null) {
            return List.of();
        }
        TreeSet<String> names = new TreeSet<>();
        try {
            if (directory.getProtocol().equals("jar")) {
                JarURLConnection connection = (JarURLConnection) directory.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    jar.stream().map(entry -> entry.getName())
                            .filter(entry -> entry.startsWith(DIRECTORY + "/") && entry.indexOf('/', DIRECTORY.length() + 1) < 0)
                            .map(entry -> entry.substring(DIRECTORY.length() + 1))
                            .forEach(file -> addName(names, file));
                }
            } else {
                try (Stream<Path> files = Files.list(Path.of(directory.toURI()))) {
                    files.forEach(file -> addName(names, file.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the bundled profiles", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list the bundled profiles", e);
        }
        return List.copyOf(names);
    }

    private static void addName(TreeSet<String> names, String file) {
        if (file.endsWith(SUFFIX) && file.length() > SUFFIX.length()) {
            names.add(file.substring(0, file.length() - SUFFIX.length()));
        }
    }
}
