// The Java TLS client `sptls simulate --java` compiles once into a cache folder and runs
// per connection of a Java initiator (Operations Center, reporting agent): one JSSE
// handshake with a PKCS#12 truststore, as Liberty's JSSE makes it. The trust manager
// records PKIX's verdict instead of aborting, so an untrusted chain still shows the
// version the handshake settles on (as the Node prober does). Output: one fact a line.
//
//   java -cp DIR SptlsTlsClient HOST PORT TRUSTSTORE|- PROTOCOLS TIMEOUT_MS
//   (truststore password in SPTLS_TRUSTSTORE_PASSWORD; '-' = the JDK's cacerts)
//   java 21.0.5 | protocol TLSv1.3 | cipher TLS_… | peer <sha-256 hex> | trust ok | trust fail <why> | error <class> <why>
export const JAVA_CLIENT_CLASS = 'SptlsTlsClient';

export const JAVA_CLIENT_SOURCE = `
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

public final class ${JAVA_CLIENT_CLASS} {
  private static String oneLine(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (b.length() > 0) b.append(" <- ");
      b.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }
    return b.toString().replace('\\n', ' ').replace('\\r', ' ');
  }

  private static String sha256(byte[] der) throws Exception {
    StringBuilder b = new StringBuilder();
    for (byte x : MessageDigest.getInstance("SHA-256").digest(der)) b.append(String.format("%02X", x));
    return b.toString();
  }

  /** TLS 1.0/1.1 are disabled in java.security; a rehearsal of an old range re-enables them here only. */
  private static void allowLegacy() {
    String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
    if (disabled == null) return;
    List<String> kept = new ArrayList<>();
    for (String item : disabled.split(",")) {
      String t = item.trim();
      if (!t.equals("TLSv1") && !t.equals("TLSv1.1") && !t.isEmpty()) kept.add(t);
    }
    Security.setProperty("jdk.tls.disabledAlgorithms", String.join(", ", kept));
  }

  public static void main(String[] args) throws Exception {
    System.out.println("java " + System.getProperty("java.version"));
    try {
      String host = args[0];
      int port = Integer.parseInt(args[1]);
      String[] protocols = args[3].split(",");
      int timeout = Integer.parseInt(args[4]);
      List<String> wanted = Arrays.asList(protocols);
      if (wanted.contains("TLSv1") || wanted.contains("TLSv1.1")) allowLegacy();
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (args[2].equals("-")) tmf.init((KeyStore) null);
      else {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(args[2])) { store.load(in, System.getenv("SPTLS_TRUSTSTORE_PASSWORD").toCharArray()); }
        tmf.init(store);
      }
      X509TrustManager found = null;
      for (TrustManager t : tmf.getTrustManagers()) if (t instanceof X509TrustManager) found = (X509TrustManager) t;
      final X509TrustManager pkix = found;
      final String[] verdict = { "trust not-asked" };
      X509TrustManager recording = new X509TrustManager() {
        public void checkClientTrusted(X509Certificate[] chain, String auth) throws CertificateException { pkix.checkClientTrusted(chain, auth); }
        public void checkServerTrusted(X509Certificate[] chain, String auth) {
          try { pkix.checkServerTrusted(chain, auth); verdict[0] = "trust ok"; }
          catch (CertificateException e) { verdict[0] = "trust fail " + oneLine(e); }
        }
        public X509Certificate[] getAcceptedIssuers() { return pkix.getAcceptedIssuers(); }
      };
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] { recording }, null);
      try (Socket raw = new Socket()) {
        raw.connect(new InetSocketAddress(host, port), timeout);
        raw.setSoTimeout(timeout);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, host, port, true);
        socket.setEnabledProtocols(protocols);
        socket.startHandshake();
        SSLSession session = socket.getSession();
        System.out.println("protocol " + session.getProtocol());
        System.out.println("cipher " + session.getCipherSuite());
        for (Certificate c : session.getPeerCertificates()) System.out.println("peer " + sha256(c.getEncoded()));
        System.out.println(verdict[0]);
        socket.close();
      }
    } catch (Exception e) {
      System.out.println("error " + e.getClass().getName() + " " + oneLine(e));
    }
  }
}
`;
