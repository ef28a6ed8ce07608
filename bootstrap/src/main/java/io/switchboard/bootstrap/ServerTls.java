package io.switchboard.bootstrap;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The listener's TLS (SPEC 16): a certificate chain and its PKCS#8 private key, both PEM files,
 * read once at start. Every fault — a file missing or unreadable, no certificate in the chain, a key
 * that is not PKCS#8 or does not belong to the certificate — is a configuration problem naming the
 * key and the file, so the hub does not start (exit code 2).
 */
final class ServerTls {
    static final String CHAIN = "server.tls.certificate-chain";
    static final String KEY = "server.tls.private-key";
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** Key algorithms a PKCS#8 key may be in, tried in turn. */
    private static final List<String> ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");
    private static final char[] NO_PASSWORD = new char[0];

    private ServerTls() {
    }

    /** The TLS of the listener, or empty when neither key is set or when a problem was reported to {@code values}. */
    static Optional<SSLContext> read(ConfigValues values) {
        String chainFile = values.text(CHAIN).trim();
        String keyFile = values.text(KEY).trim();
        if (chainFile.isEmpty() && keyFile.isEmpty()) {
            return Optional.empty();
        }
        if (chainFile.isEmpty() || keyFile.isEmpty()) {
            values.problem((chainFile.isEmpty() ? CHAIN : KEY) + ": must be set together with "
                    + (chainFile.isEmpty() ? KEY : CHAIN) + " (both PEM files) to serve https:// and wss://");
            return Optional.empty();
        }
        try {
            List<X509Certificate> chain = certificates(chainFile);
            PrivateKey key = privateKey(keyFile);
            if (!matches(key, chain.getFirst())) {
                throw new Problem(KEY + ": " + keyFile + " is not the private key of the first certificate in " + chainFile
                        + " (" + CHAIN + ")");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("switchboard", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, NO_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return Optional.of(context);
        } catch (Problem problem) {
            values.problem(problem.getMessage());
        } catch (GeneralSecurityException | IOException e) {
            values.problem(KEY + ": cannot use " + keyFile + " with " + chainFile + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    private static List<X509Certificate> certificates(String file) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(CHAIN, file)) {
                if (block.type().equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException e) {
            throw new Problem(CHAIN + ": " + file + " holds a certificate that cannot be read: " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw new Problem(CHAIN + ": " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey privateKey(String file) {
        List<Block> blocks = blocks(KEY, file);
        Block block = blocks.stream().filter(b -> b.type().endsWith("PRIVATE KEY")).findFirst()
                .orElseThrow(() -> new Problem(KEY + ": " + file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)"));
        if (!block.type().equals("PRIVATE KEY")) {
            throw new Problem(KEY + ": " + file + " holds a PEM block \"" + block.type() + "\", not an unencrypted PKCS#8 key (PRIVATE KEY); convert it with "
                    + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
        }
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(block.der()));
            } catch (GeneralSecurityException e) {
                // the next algorithm
            }
        }
        throw new Problem(KEY + ": " + file + " holds a PKCS#8 key that cannot be read (RSA, EC, Ed25519 and Ed448 are supported)");
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        byte[] probe = "switchboard".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (java.security.InvalidKeyException | java.security.SignatureException e) {
            return false; // e.g. an EC key with an RSA certificate
        }
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(String key, String file) {
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new Problem(key + ": " + file + " does not exist");
        } catch (IOException | RuntimeException e) {
            throw new Problem(key + ": " + file + " cannot be read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = PEM.matcher(text);
        while (matcher.find()) {
            try {
                blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
            } catch (IllegalArgumentException e) {
                throw new Problem(key + ": " + file + " has a PEM block that is not valid base64");
            }
        }
        return blocks;
    }

    /** A problem of the files, its message naming the key and the file. */
    private static final class Problem extends RuntimeException {
        Problem(String message) {
            super(message, null, false, false);
        }
    }
}
