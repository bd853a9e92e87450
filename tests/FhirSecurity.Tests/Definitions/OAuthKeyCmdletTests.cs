using System.Net;
using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Definitions;

/// <summary>private_key_jwt definitions: made from a PEM file or SecureString, refused when the key cannot do the job, switched to and from a secret, never shown.</summary>
public sealed class OAuthKeyCmdletTests : DefinitionCmdletTest
{
    private const string TokenUrl = "https://auth.example.org/token";
    private readonly string _dir = Directory.CreateTempSubdirectory("fhirsec-key-").FullName;

    private string KeyFile(string pem, string name = "key.pem")
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, pem);
        return path;
    }

    private static Dictionary<string, object?> Keys => new()
    {
        ["rsaKey"] = new NetworkCredential(string.Empty, ClientKeys.RsaPem).SecurePassword,
        ["ecKey"] = new NetworkCredential(string.Empty, ClientKeys.EcPem).SecurePassword,
    };

    [Fact]
    public void An_RSA_key_file_makes_an_RS384_definition_and_Get_describes_the_key_without_showing_it()
    {
        string file = KeyFile(ClientKeys.Rsa.ExportRSAPrivateKeyPem());

        RunOk($"New-FhirOAuth -Name smart -TokenUrl {TokenUrl} -ClientId backend -PrivateKeyPath '{file}' -KeyId {ClientKeys.RsaKid} -JwksUrl https://client.example.org/jwks.json -Scope system/Patient.rs");
        dynamic info = Single(RunOk("Get-FhirOAuth smart"), "FhirOAuthInfo");

        Assert.Equal("PrivateKeyJwt", info.ClientAuthentication.ToString());
        Assert.Equal("RS384", info.Algorithm.ToString());
        Assert.Equal(ClientKeys.RsaKid, (string)info.KeyId);
        Assert.Equal(new Uri("https://client.example.org/jwks.json"), (Uri)info.JwksUrl);
        Assert.Equal("RSA 3072", (string)info.PrivateKey);
        Assert.Null(info.ClientSecret);
        string stored = StoredDocument("FhirSecurity-OAuth-smart");
        Assert.Contains("\"clientAuthentication\":\"private_key_jwt\"", stored);
        Assert.Contains("BEGIN PRIVATE KEY", stored); // PKCS#1 in, PKCS#8 stored
        Assert.DoesNotContain("clientSecret", stored);
    }

    [Fact]
    public void An_EC_key_as_SecureString_makes_an_ES384_definition()
    {
        dynamic info = Single(Run($"New-FhirOAuth -Name smart -TokenUrl {TokenUrl} -ClientId backend -PrivateKey $ecKey -KeyId {ClientKeys.EcKid} -PassThru", Keys), "FhirOAuthInfo");

        Assert.Equal("ES384", info.Algorithm.ToString());
        Assert.Equal("ECDSA P-384", (string)info.PrivateKey);
        Assert.Equal("PrivateKeyJwt", info.ClientAuthentication.ToString());
    }

    [Fact]
    public void A_relative_key_path_is_resolved_against_the_PowerShell_location()
    {
        KeyFile(ClientKeys.EcPem, "relative.pem");

        RunOk($"$null = $ExecutionContext.SessionState.Path.SetLocation('{_dir}'); New-FhirOAuth -Name smart -TokenUrl {TokenUrl} -ClientId backend -PrivateKeyPath ./relative.pem -KeyId k -Algorithm ES384");

        Assert.Contains("FhirSecurity-OAuth-smart", TestVaults.Snapshot(DefaultVault).Keys);
    }

    public static TheoryData<string, string, string> Refusals() => new()
    {
        { "rsa1024", "-Algorithm RS384 -KeyId k", "OAuthPrivateKeyTooWeak" },
        { "ec", "-Algorithm RS384 -KeyId k", "OAuthPrivateKeyAlgorithmMismatch" },
        { "rsa", "-Algorithm ES384 -KeyId k", "OAuthPrivateKeyAlgorithmMismatch" },
        { "p256", "-KeyId k", "OAuthPrivateKeyCurveUnsupported" },
        { "public", "-KeyId k", "OAuthPrivateKeyNotPrivate" },
        { "certificate", "-KeyId k", "OAuthPrivateKeyNotPrivate" },
        { "garbage", "-KeyId k", "OAuthPrivateKeyInvalid" },
        { "rsa", string.Empty, "OAuthKeyIdMissing" },
        { "rsa", "-KeyId k -ClientSecret $secret", "OAuthClientCredentialConflict" },
        { "rsa", "-KeyId k -ClientAuthentication ClientSecretBasic", "OAuthClientCredentialConflict" },
        { "rsa", "-KeyId k -PrivateKey $ecKey", "OAuthClientCredentialConflict" },
        { "rsa", "-KeyId k -JwksUrl http://client.example.org/jwks", "OAuthJwksUrlInvalid" },
        { "missing-file", "-KeyId k", "OAuthPrivateKeyFileNotFound" },
        { "none", "-KeyId k", "OAuthPrivateKeyMissing" },
        { "none", string.Empty, "OAuthClientSecretMissing" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_key_that_cannot_do_the_job_is_refused_with_its_own_id_and_nothing_is_written(string key, string more, string errorId)
    {
        RunOk(NewOAuth("other"));
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);
        string pem = key switch
        {
            "rsa" => ClientKeys.RsaPem,
            "ec" => ClientKeys.EcPem,
            "missing-file" or "none" => string.Empty,
            _ => ClientKeys.Pem(key),
        };
        string source = key switch
        {
            "none" => string.Empty,
            "missing-file" => $"-PrivateKeyPath '{Path.Combine(_dir, "nope.pem")}'",
            _ => $"-PrivateKeyPath '{KeyFile(pem)}'",
        };
        var variables = Keys;
        variables["secret"] = new NetworkCredential(string.Empty, ClientSecret).SecurePassword;

        PsResult result = Run($"New-FhirOAuth -Name smart -TokenUrl {TokenUrl} -ClientId backend {source} {more} -Verbose -Debug", variables);

        AssertError(result, errorId, "New-FhirOAuth");
        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            Assert.DoesNotContain(ClientKeys.Canary(pem), result.AllText());
        }
    }

    [Fact]
    public void Set_switches_from_a_secret_to_a_key_and_back()
    {
        RunOk(NewOAuth("ehr"));

        dynamic keyed = Single(Run($"Set-FhirOAuth ehr -PrivateKey $rsaKey -KeyId {ClientKeys.RsaKid} -PassThru", Keys), "FhirOAuthInfo");
        Assert.Equal("PrivateKeyJwt", keyed.ClientAuthentication.ToString());
        Assert.Equal("RS384", keyed.Algorithm.ToString());
        Assert.DoesNotContain(ClientSecret, StoredDocument("FhirSecurity-OAuth-ehr"));

        dynamic rotated = Single(Run("Set-FhirOAuth ehr -PrivateKey $ecKey -KeyId ec-2 -PassThru", Keys), "FhirOAuthInfo");
        Assert.Equal("ES384", rotated.Algorithm.ToString());
        Assert.Equal("ECDSA P-384", (string)rotated.PrivateKey);

        dynamic back = Single(RunOk($"Set-FhirOAuth ehr -ClientSecret ({Secure("Back-Cs")}) -PassThru"), "FhirOAuthInfo");
        Assert.Equal("ClientSecretBasic", back.ClientAuthentication.ToString());
        Assert.Null(back.KeyId);
        Assert.Null(back.PrivateKey);
        Assert.Equal("********", (string)back.ClientSecret);
        string stored = StoredDocument("FhirSecurity-OAuth-ehr");
        Assert.DoesNotContain("PRIVATE KEY", stored);
        Assert.DoesNotContain("keyId", stored);
    }

    [Fact]
    public void Set_that_breaks_a_key_rule_leaves_the_vault_as_it_was()
    {
        Run($"New-FhirOAuth -Name smart -TokenUrl {TokenUrl} -ClientId backend -PrivateKey $rsaKey -KeyId k", Keys);
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);

        AssertError(Run("Set-FhirOAuth smart -Algorithm ES384"), "OAuthPrivateKeyAlgorithmMismatch", "Set-FhirOAuth");
        AssertError(Run($"Set-FhirOAuth smart -ClientSecret ({Secure(ClientSecret)}) -KeyId k2"), "OAuthClientCredentialConflict", "Set-FhirOAuth");
        AssertError(Run("Set-FhirOAuth smart -ClientAuthentication ClientSecretPost"), "OAuthClientSecretMissing", "Set-FhirOAuth");

        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void The_private_key_never_shows_in_any_stream_view_or_error()
    {
        string file = KeyFile(ClientKeys.RsaPem);
        var runs = new List<PsResult>
        {
            Run($"New-FhirOAuth -Name rsa -TokenUrl {TokenUrl} -ClientId backend -PrivateKeyPath '{file}' -KeyId k -PassThru -Verbose -Debug", Keys),
            Run($"New-FhirOAuth -Name ec -TokenUrl {TokenUrl} -ClientId backend -PrivateKey $ecKey -KeyId k -PassThru -Verbose -Debug", Keys),
            Run($"New-FhirOAuth -Name ec -TokenUrl {TokenUrl} -ClientId backend -PrivateKey $ecKey -KeyId k -Algorithm RS384 -Force -Verbose -Debug", Keys),
            Run($"New-FhirOAuth -Name rsa -TokenUrl {TokenUrl} -ClientId backend -PrivateKey $rsaKey -Verbose -Debug", Keys),
            Run("Set-FhirOAuth rsa -PrivateKey $ecKey -KeyId k2 -PassThru -Verbose -Debug", Keys),
            Run("Get-FhirOAuth -Verbose -Debug"),
        };
        // The hosted engine has no Format-List: AllText reads every property of every output object instead, which is
        // what Format-List * would show.
        string formatted = Session.RunFormatted("Get-FhirOAuth");

        Assert.Contains(runs, r => r.Errors.Count > 0);
        Assert.Contains("ECDSA P-384", runs[^1].AllText());
        Assert.Contains("PrivateKeyJwt", formatted);
        foreach (string canary in new[] { ClientKeys.Canary(ClientKeys.RsaPem), ClientKeys.Canary(ClientKeys.EcPem), ClientKeys.Canary(ClientKeys.Ec.ExportPkcs8PrivateKeyPem()) })
        {
            Assert.All(runs, r => Assert.DoesNotContain(canary, r.AllText()));
            Assert.DoesNotContain(canary, formatted);
        }
    }

    /// <inheritdoc />
    protected override void Cleanup() => Directory.Delete(_dir, recursive: true);
}
