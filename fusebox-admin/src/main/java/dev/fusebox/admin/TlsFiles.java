package dev.fusebox.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The admin server's TLS identity from the PEM files that certificate tools write: a certificate
 * chain (the server's certificate first, then any intermediates) and its private key, unencrypted
 * PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, what {@code openssl genpkey} and {@code certbot}
 * write) for an RSA, EC or EdDSA key. Other key formats are refused with the command that converts
 * them. The key may be readable by its owner and group, never by others.
 */
final class TlsFiles {

    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    /** PEM labels of keys in other formats, and what they are. */
    private static final Map<String, String> OTHER_FORMATS = Map.of(
            "ENCRYPTED PRIVATE KEY", "an encrypted PKCS#8 key",
            "RSA PRIVATE KEY", "a PKCS#1 RSA key",
            "EC PRIVATE KEY", "a SEC1 EC key",
            "OPENSSH PRIVATE KEY", "an OpenSSH key");
    /** Key algorithms tried in turn, each with a signature that proves the key matches the certificate. */
    private static final List<String[]> ALGORITHMS = List.of(new String[] {"RSA", "SHA256withRSA"},
            new String[] {"EC", "SHA256withECDSA"}, new String[] {"Ed25519", "Ed25519"}, new String[] {"Ed448", "Ed448"});

    private TlsFiles() {
    }

    /**
     * A started-ready Jetty TLS context for TLS 1.2 and 1.3 over the key and certificate chain.
     *
     * @throws IllegalArgumentException naming the file that cannot be used, and why
     */
    static SslContextFactory.Server context(Path certificateChain, Path privateKey) throws IOException {
        Certificate[] chain = chain(certificateChain);
        PrivateKey key = key(privateKey, chain[0], certificateChain);
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        char[] password = Base64.getEncoder().encodeToString(random).toCharArray(); // for the in-memory store only
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("fusebox-admin", key, password, chain);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the key in " + privateKey + " with the certificate in "
                    + certificateChain + ": " + e.getMessage(), e);
        }
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(store);
        tls.setKeyStorePassword(new String(password));
        tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        return tls;
    }

    private static Certificate[] chain(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .toArray(Certificate[]::new);
            if (chain.length == 0) {
                throw new IllegalArgumentException(file + " holds no certificate; expected PEM:"
                        + " -----BEGIN CERTIFICATE-----");
            }
            return chain;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + " is not a PEM certificate chain"
                    + " (-----BEGIN CERTIFICATE-----, the server's certificate first)", e);
        }
    }

    private static PrivateKey key(Path file, Certificate certificate, Path certificateFile) throws IOException {
        OwnerOnly.require(file, "the admin API's TLS private key", true);
        String pem = Files.readString(file, StandardCharsets.ISO_8859_1); // PEM is ASCII; never fails to decode
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            String found = OTHER_FORMATS.entrySet().stream().filter(e -> pem.contains("-----BEGIN " + e.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse("no PEM private key");
            throw new IllegalArgumentException(file + " holds " + found + "; the admin server reads an unencrypted"
                    + " PKCS#8 key (-----BEGIN PRIVATE KEY-----): openssl pkcs8 -topk8 -nocrypt -in " + file
                    + " -out key.pem");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        for (String[] algorithm : ALGORITHMS) {
            PrivateKey key;
            try {
                key = KeyFactory.getInstance(algorithm[0]).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException notThisOne) {
                continue;
            }
            if (!matches(key, algorithm[1], certificate)) {
                throw new IllegalArgumentException("the key in " + file + " does not belong to the first certificate"
                        + " in " + certificateFile);
            }
            return key;
        }
        throw new IllegalArgumentException(file + " holds a key that is not RSA, EC or EdDSA");
    }

    /** Whether the certificate's public key verifies what the key signs. */
    private static boolean matches(PrivateKey key, String algorithm, Certificate certificate) {
        try {
            byte[] probe = "fusebox".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(certificate.getPublicKey());
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException wrongKind) {
            return false; // e.g. an EC key with an RSA certificate
        }
    }
}
