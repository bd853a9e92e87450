using System.Security.Cryptography;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Auth;

/// <summary>
/// A client's private key for <c>private_key_jwt</c>, checked and described without ever showing it. PEM in PKCS#8
/// (<c>PRIVATE KEY</c>), PKCS#1 (<c>RSA PRIVATE KEY</c>) or SEC1 (<c>EC PRIVATE KEY</c>) is read with the framework's
/// <see cref="RSA"/>/<see cref="ECDsa"/> and kept as unencrypted PKCS#8 PEM. Errors name the source, never the key,
/// and carry no inner exception (whose text might quote it).
/// </summary>
public sealed class ClientKey
{
    /// <summary>The smallest RSA key accepted for RS384 (NIST SP 800-131A; SMART asks for no less).</summary>
    public const int MinimumRsaBits = 2048;

    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";
    private const string P521Oid = "1.3.132.0.35";

    private ClientKey(SecretValue pkcs8Pem, bool isRsa, int keySize, string? curve)
    {
        Pem = pkcs8Pem;
        IsRsa = isRsa;
        KeySize = keySize;
        Curve = curve;
    }

    /// <summary>The key as unencrypted PKCS#8 PEM (what the vault document stores).</summary>
    public SecretValue Pem { get; }

    /// <summary>True for RSA, false for EC.</summary>
    public bool IsRsa { get; }

    /// <summary>The key size in bits.</summary>
    public int KeySize { get; }

    /// <summary>The EC curve (<c>P-256</c>, <c>P-384</c>, <c>P-521</c>, or its OID), null for RSA.</summary>
    public string? Curve { get; }

    /// <summary>What views show instead of the key: <c>RSA 3072</c> or <c>ECDSA P-384</c>.</summary>
    public string Description => IsRsa ? $"RSA {KeySize}" : $"ECDSA {Curve}";

    /// <summary>The algorithm this kind of key signs with: RS384 for RSA, ES384 for EC.</summary>
    public JwtSigningAlgorithm DefaultAlgorithm => IsRsa ? JwtSigningAlgorithm.RS384 : JwtSigningAlgorithm.ES384;

    /// <summary>
    /// Reads a PEM private key. <paramref name="source"/> says where it came from in messages (a file name, "the
    /// -PrivateKey text"); <paramref name="target"/> is the error's target (the definition name). A certificate or
    /// public key is <c>OAuthPrivateKeyNotPrivate</c>; anything else unusable is <c>OAuthPrivateKeyInvalid</c>.
    /// </summary>
    public static ClientKey Parse(SecretValue pem, string source, string? target)
    {
        string text = pem.Reveal();
        var privateLabels = new List<string>();
        var otherLabels = new List<string>();
        ReadOnlySpan<char> rest = text;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            string label = rest[fields.Label].ToString();
            (IsPrivateKeyLabel(label) ? privateLabels : otherLabels).Add(label);
            rest = rest[fields.Location.End..];
        }

        if (otherLabels.Contains("ENCRYPTED PRIVATE KEY"))
        {
            throw Fail(
                ErrorIds.OAuthPrivateKeyInvalid,
                FailureCategory.InvalidData,
                $"The private key in {source} is encrypted. Give it unencrypted (the vault protects it), e.g. openssl"
                + " pkey -in key.pem -out plain.pem.",
                target);
        }

        if (privateLabels.Count == 0)
        {
            string? what =
                otherLabels.FirstOrDefault(l => l.Contains("CERTIFICATE", StringComparison.Ordinal)) is not null
                    ? "a certificate"
                : otherLabels.FirstOrDefault(l => l.Contains("PUBLIC KEY", StringComparison.Ordinal)) is not null
                    ? "a public key"
                : null;
            throw what is not null
                ? Fail(
                    ErrorIds.OAuthPrivateKeyNotPrivate,
                    FailureCategory.InvalidArgument,
                    $"{Capital(source)} holds {what}, not a private key. Give the PEM private key "
                    + "(-----BEGIN PRIVATE KEY-----) the public key or certificate was made from.",
                    target)
                : Fail(
                    ErrorIds.OAuthPrivateKeyInvalid,
                    FailureCategory.InvalidData,
                    $"{Capital(source)} holds no PEM private key. Give a PEM file with one -----BEGIN PRIVATE KEY-----"
                    + " (PKCS#8), RSA PRIVATE KEY (PKCS#1) or EC PRIVATE KEY (SEC1) block.",
                    target);
        }

        if (privateLabels.Count > 1)
        {
            throw Fail(
                ErrorIds.OAuthPrivateKeyInvalid,
                FailureCategory.InvalidData,
                $"{Capital(source)} holds {privateLabels.Count} private keys; give exactly one.",
                target);
        }

        string label0 = privateLabels[0];
        if (label0 != "EC PRIVATE KEY" && TryRsa(text) is { } rsa)
        {
            return rsa;
        }

        if (label0 != "RSA PRIVATE KEY" && TryEc(text) is { } ec)
        {
            return ec;
        }

        throw Fail(
            ErrorIds.OAuthPrivateKeyInvalid,
            FailureCategory.InvalidData,
            $"The private key in {source} could not be read as an RSA or EC key (a damaged PEM block, or another key"
            + " type such as Ed25519). Use an RSA (RS384) or EC P-384 (ES384) key.",
            target);
    }

    /// <summary>
    /// Checks that the key can sign with <paramref name="algorithm"/>: RSA of at least
    /// <see cref="MinimumRsaBits"/> bits for RS384; an EC key on P-384 for ES384. JWS defines ES384 as P-384 with
    /// SHA-384 (RFC 7518 3.4), so other curves are refused rather than signed with a curve the server would not expect.
    /// </summary>
    public void CheckAlgorithm(JwtSigningAlgorithm algorithm, string? target)
    {
        if (algorithm == JwtSigningAlgorithm.RS384 && !IsRsa)
        {
            throw Fail(
                ErrorIds.OAuthPrivateKeyAlgorithmMismatch,
                FailureCategory.InvalidArgument,
                $"RS384 needs an RSA key, and this is an {Description} key. Use -Algorithm ES384 for an EC P-384 key,"
                + " or give an RSA key.",
                target);
        }

        if (algorithm == JwtSigningAlgorithm.ES384 && IsRsa)
        {
            throw Fail(
                ErrorIds.OAuthPrivateKeyAlgorithmMismatch,
                FailureCategory.InvalidArgument,
                $"ES384 needs an EC P-384 key, and this is an {Description} key. Use -Algorithm RS384 for an RSA key,"
                + " or give an EC P-384 key.",
                target);
        }

        if (IsRsa && KeySize < MinimumRsaBits)
        {
            throw Fail(
                ErrorIds.OAuthPrivateKeyTooWeak,
                FailureCategory.SecurityError,
                $"The RSA key has {KeySize} bits; RS384 needs at least {MinimumRsaBits} (3072 or more recommended)."
                + " Make a new key: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out key.pem.",
                target);
        }

        if (!IsRsa && Curve != "P-384")
        {
            throw Fail(
                ErrorIds.OAuthPrivateKeyCurveUnsupported,
                FailureCategory.InvalidArgument,
                $"The EC key is on curve {Curve}; ES384 is defined on P-384 only. Make a P-384 key: openssl genpkey"
                + " -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out key.pem.",
                target);
        }
    }

    private static ClientKey? TryRsa(string text)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(text);
            return new ClientKey(new SecretValue(rsa.ExportPkcs8PrivateKeyPem()), true, rsa.KeySize, null);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static ClientKey? TryEc(string text)
    {
        using var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(text);
            ECCurve curve = ecdsa.ExportParameters(false).Curve;
            string name = curve.IsNamed ? CurveName(curve.Oid) : "explicit parameters";
            return new ClientKey(new SecretValue(ecdsa.ExportPkcs8PrivateKeyPem()), false, ecdsa.KeySize, name);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    // Platforms name curves differently (nistP384, secp384r1, ECDSA_P384); the OID is the same everywhere.
    private static string CurveName(Oid oid) => (oid.Value, oid.FriendlyName) switch
    {
        (P256Oid, _) or (_, "nistP256" or "secp256r1" or "prime256v1" or "ECDSA_P256") => "P-256",
        (P384Oid, _) or (_, "nistP384" or "secp384r1" or "ECDSA_P384") => "P-384",
        (P521Oid, _) or (_, "nistP521" or "secp521r1" or "ECDSA_P521") => "P-521",
        _ => oid.FriendlyName ?? oid.Value ?? "unknown",
    };

    private static bool IsPrivateKeyLabel(string label)
        => label is "PRIVATE KEY" or "RSA PRIVATE KEY" or "EC PRIVATE KEY";

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static FhirSecurityException Fail(string id, FailureCategory category, string message, string? target)
        => new(id, category, message, target);
}
