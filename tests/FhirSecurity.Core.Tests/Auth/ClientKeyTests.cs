using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;
using FhirSecurity.Core.Tests.Fakes;
using Xunit;

namespace FhirSecurity.Core.Tests.Auth;

public sealed class ClientKeyTests
{
    public static TheoryData<string, JwtSigningAlgorithm, string> GoodKeys() => new()
    {
        { TestKeys.Rsa3072.ExportPkcs8PrivateKeyPem(), JwtSigningAlgorithm.RS384, "RSA 3072" },
        { TestKeys.Rsa3072.ExportRSAPrivateKeyPem(), JwtSigningAlgorithm.RS384, "RSA 3072" },
        { TestKeys.P384.ExportPkcs8PrivateKeyPem(), JwtSigningAlgorithm.ES384, "ECDSA P-384" },
        { TestKeys.P384.ExportECPrivateKeyPem(), JwtSigningAlgorithm.ES384, "ECDSA P-384" },
        // What `openssl ecparam -name secp384r1 -genkey` writes: the curve's OID block, then the SEC1 key.
        { "-----BEGIN EC PARAMETERS-----\nBgUrgQQAIg==\n-----END EC PARAMETERS-----\n" + TestKeys.P384.ExportECPrivateKeyPem(), JwtSigningAlgorithm.ES384, "ECDSA P-384" },
    };

    [Theory]
    [MemberData(nameof(GoodKeys))]
    public void Pkcs8_pkcs1_and_sec1_keys_are_read_described_and_stored_as_pkcs8(string pem, JwtSigningAlgorithm algorithm, string description)
    {
        ClientKey key = ClientKey.Parse(new SecretValue(pem), "test", "k");

        key.CheckAlgorithm(algorithm, "k");
        Assert.Equal(description, key.Description);
        Assert.Equal(algorithm, key.DefaultAlgorithm);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", key.Pem.Reveal());
    }

    [Fact]
    public void A_key_with_a_certificate_beside_it_is_read()
    {
        using var cert = new CertificateRequest("CN=x", TestKeys.P384, HashAlgorithmName.SHA384).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        ClientKey key = ClientKey.Parse(new SecretValue(cert.ExportCertificatePem() + "\n" + TestKeys.P384.ExportPkcs8PrivateKeyPem()), "test", "k");

        Assert.Equal("ECDSA P-384", key.Description);
        Assert.DoesNotContain("CERTIFICATE", key.Pem.Reveal());
    }

    public static TheoryData<string, string> UnusableKeys()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest("CN=x", TestKeys.P384, HashAlgorithmName.SHA384).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        return new()
        {
            { "not a key at all", ErrorIds.OAuthPrivateKeyInvalid },
            { "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", ErrorIds.OAuthPrivateKeyInvalid },
            { TestKeys.P384.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)), ErrorIds.OAuthPrivateKeyInvalid },
            { TestKeys.P384.ExportPkcs8PrivateKeyPem() + "\n" + p256.ExportPkcs8PrivateKeyPem(), ErrorIds.OAuthPrivateKeyInvalid },
            { TestKeys.Rsa3072.ExportSubjectPublicKeyInfoPem(), ErrorIds.OAuthPrivateKeyNotPrivate },
            { TestKeys.Rsa3072.ExportRSAPublicKeyPem(), ErrorIds.OAuthPrivateKeyNotPrivate },
            { cert.ExportCertificatePem(), ErrorIds.OAuthPrivateKeyNotPrivate },
        };
    }

    [Theory]
    [MemberData(nameof(UnusableKeys))]
    public void Unusable_pem_has_its_own_id_and_the_message_quotes_none_of_it(string pem, string errorId)
    {
        var ex = Assert.Throws<FhirSecurityException>(() => ClientKey.Parse(new SecretValue(pem), "the -PrivateKey text", "k"));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Null(ex.InnerException);
        string body = pem.Split('\n').Skip(1).FirstOrDefault() ?? pem;
        Assert.DoesNotContain(body, ex.Message);
    }

    [Fact]
    public void Algorithm_must_fit_the_key()
    {
        using var rsa1024 = RSA.Create(1024);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ClientKey rsa = ClientKey.Parse(new SecretValue(TestKeys.Rsa3072.ExportPkcs8PrivateKeyPem()), "t", "k");
        ClientKey ec = ClientKey.Parse(new SecretValue(TestKeys.P384.ExportPkcs8PrivateKeyPem()), "t", "k");

        Assert.Equal(ErrorIds.OAuthPrivateKeyAlgorithmMismatch, Assert.Throws<FhirSecurityException>(() => rsa.CheckAlgorithm(JwtSigningAlgorithm.ES384, "k")).ErrorId);
        Assert.Equal(ErrorIds.OAuthPrivateKeyAlgorithmMismatch, Assert.Throws<FhirSecurityException>(() => ec.CheckAlgorithm(JwtSigningAlgorithm.RS384, "k")).ErrorId);
        Assert.Equal(ErrorIds.OAuthPrivateKeyTooWeak, Assert.Throws<FhirSecurityException>(() => ClientKey.Parse(new SecretValue(rsa1024.ExportPkcs8PrivateKeyPem()), "t", "k").CheckAlgorithm(JwtSigningAlgorithm.RS384, "k")).ErrorId);
        Assert.Equal(ErrorIds.OAuthPrivateKeyCurveUnsupported, Assert.Throws<FhirSecurityException>(() => ClientKey.Parse(new SecretValue(p256.ExportPkcs8PrivateKeyPem()), "t", "k").CheckAlgorithm(JwtSigningAlgorithm.ES384, "k")).ErrorId);
    }

    [Fact]
    public void Definition_rules_keep_secrets_and_keys_apart()
    {
        OAuthDefinition key = TestKeys.KeyOAuth(JwtSigningAlgorithm.RS384);
        key.Validate();

        Assert.Equal(ErrorIds.OAuthClientCredentialConflict, Assert.Throws<FhirSecurityException>(() => (key with { ClientSecret = new SecretValue("s") }).Validate()).ErrorId);
        Assert.Equal(ErrorIds.OAuthKeyIdMissing, Assert.Throws<FhirSecurityException>(() => (key with { KeyId = null }).Validate()).ErrorId);
        Assert.Equal(ErrorIds.OAuthPrivateKeyMissing, Assert.Throws<FhirSecurityException>(() => (key with { PrivateKey = null }).Validate()).ErrorId);
        Assert.Equal(ErrorIds.OAuthAlgorithmMissing, Assert.Throws<FhirSecurityException>(() => (key with { Algorithm = null }).Validate()).ErrorId);
        Assert.Equal(ErrorIds.OAuthJwksUrlInvalid, Assert.Throws<FhirSecurityException>(() => (key with { JwksUrl = new Uri("http://keys.example.org/jwks") }).Validate()).ErrorId);
        Assert.Equal(ErrorIds.OAuthClientCredentialConflict, Assert.Throws<FhirSecurityException>(() => (Samples.OAuth() with { KeyId = "kid" }).Validate()).ErrorId);
        Assert.Equal(ErrorIds.OAuthClientSecretMissing, Assert.Throws<FhirSecurityException>(() => (Samples.OAuth() with { ClientSecret = null }).Validate()).ErrorId);
    }
}
