using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Definitions.Edits;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;
using FhirSecurity.Core.Tests.Fakes;
using Xunit;

namespace FhirSecurity.Core.Tests.Definitions;

/// <summary>
/// The rules of what New-/Set- parameters mean together, in the edit objects the cmdlets hand to the store: each is
/// checked here without a runspace.
/// </summary>
public sealed class DefinitionEditTests
{
    private static readonly Uri Base = new("https://fhir.example.org/r4");

    // --- a CA bundle implies CustomBundle ---------------------------------------------------------------------

    [Fact]
    public void A_CA_bundle_alone_implies_CustomBundle_on_create()
    {
        ConnectionDefinition created = new ConnectionEdit { BaseUri = Base, CaBundle = "corp" }.Create("c");
        Assert.Equal(TlsValidationMode.CustomBundle, created.TlsValidation);
        Assert.Equal("corp", created.CaBundle);
        Assert.Equal(new Uri("https://fhir.example.org/r4/"), created.BaseUri);
    }

    [Fact]
    public void A_CA_bundle_alone_implies_CustomBundle_on_change()
    {
        ConnectionDefinition changed = new ConnectionEdit { CaBundle = "corp" }.ApplyTo(Samples.Connection());
        Assert.Equal((TlsValidationMode.CustomBundle, "corp"), (changed.TlsValidation, changed.CaBundle));
    }

    [Fact]
    public void Another_mode_drops_the_bundle_it_replaces_and_CustomBundle_keeps_it()
    {
        ConnectionDefinition custom = Samples.Connection() with { TlsValidation = TlsValidationMode.CustomBundle, CaBundle = "corp" };
        ConnectionDefinition skip = new ConnectionEdit { TlsValidation = TlsValidationMode.Skip }.ApplyTo(custom);
        Assert.Equal((TlsValidationMode.Skip, (string?)null), (skip.TlsValidation, skip.CaBundle));
        Assert.Equal(custom, new ConnectionEdit { TlsValidation = TlsValidationMode.CustomBundle }.ApplyTo(custom));
        Assert.Equal(custom, new ConnectionEdit().ApplyTo(custom));
    }

    [Fact]
    public void A_bundle_given_with_another_mode_is_kept_so_validation_names_the_contradiction()
    {
        ConnectionDefinition created = new ConnectionEdit { BaseUri = Base, TlsValidation = TlsValidationMode.Default, CaBundle = "corp" }.Create("c");
        Assert.Equal(ErrorIds.ConnectionCaBundleUnused, Assert.Throws<FhirSecurityException>(created.Validate).ErrorId);
    }

    [Theory]
    [InlineData(null, null, TlsValidationMode.Default, TlsBundleProblem.None)]
    [InlineData(null, "corp", TlsValidationMode.CustomBundle, TlsBundleProblem.None)]
    [InlineData(TlsValidationMode.CustomBundle, null, TlsValidationMode.CustomBundle, TlsBundleProblem.BundleRequired)]
    [InlineData(TlsValidationMode.Skip, "corp", TlsValidationMode.Skip, TlsBundleProblem.BundleUnused)]
    public void The_TLS_choice_is_one_rule(TlsValidationMode? given, string? bundle, TlsValidationMode mode, TlsBundleProblem problem)
    {
        (TlsValidationMode chosen, string? kept) = TlsValidationChoice.Apply(given, bundle);
        Assert.Equal(mode, chosen);
        Assert.Equal(bundle, kept);
        Assert.Equal(problem, TlsValidationChoice.Check(chosen, kept));
    }

    // --- discovery's TLS checks, under discovery's error ids ---------------------------------------------------

    [Theory]
    [InlineData(TlsValidationMode.CustomBundle, null, ErrorIds.OAuthDiscoveryCaBundleRequired)]
    [InlineData(TlsValidationMode.Skip, "corp", ErrorIds.OAuthDiscoveryCaBundleUnused)]
    [InlineData(TlsValidationMode.Default, "corp", ErrorIds.OAuthDiscoveryCaBundleUnused)]
    public void Discovery_TLS_contradictions_keep_their_own_error_ids(TlsValidationMode mode, string? bundle, string errorId)
    {
        var edit = new OAuthEdit { DiscoveryTlsValidation = mode, DiscoveryCaBundle = bundle };
        var ex = Assert.Throws<FhirSecurityException>(() => edit.DiscoveryTls("o"));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(FailureCategory.InvalidArgument, ex.Category);
    }

    [Fact]
    public void Discovery_with_a_bundle_alone_uses_CustomBundle_and_without_one_the_system_store()
    {
        Assert.Equal(TlsValidationMode.CustomBundle, new OAuthEdit { DiscoveryCaBundle = "corp" }.DiscoveryTls("o"));
        Assert.Equal(TlsValidationMode.Default, new OAuthEdit().DiscoveryTls("o"));
        Assert.Equal(TlsValidationMode.Skip, new OAuthEdit { DiscoveryTlsValidation = TlsValidationMode.Skip }.DiscoveryTls("o"));
    }

    [Fact]
    public void Discovery_stands_in_the_configuration_URL_then_takes_the_named_endpoint()
    {
        OAuthEdit edit = OAuthEdit.Discovering(Base) with { ClientId = "c", ClientSecret = new SecretValue("s") };
        Assert.Equal(new Uri("https://fhir.example.org/r4/.well-known/smart-configuration"), edit.TokenUrl);
        OAuthDefinition created = edit.Discovered(new Uri("https://auth.example.org/token"), Base).Create("o");
        Assert.Equal((new Uri("https://auth.example.org/token"), Base), (created.TokenUrl, created.DiscoveredFrom));
        Assert.Equal(
            ErrorIds.OAuthDiscoveryBaseUriInvalid,
            Assert.Throws<FhirSecurityException>(() => OAuthEdit.Discovering(new Uri("http://fhir.example.org/"))).ErrorId);
    }

    // --- a key setting implies PrivateKeyJwt -------------------------------------------------------------------

    [Fact]
    public void A_key_means_PrivateKeyJwt_with_the_key_s_default_algorithm()
    {
        OAuthDefinition created = (NewOAuth() with { Key = Key(), KeyId = "kid" }).Create("o");
        Assert.Equal(OAuthClientAuthentication.PrivateKeyJwt, created.ClientAuthentication);
        Assert.Equal(JwtSigningAlgorithm.ES384, created.Algorithm);
        created.Validate();
    }

    [Theory]
    [InlineData("algorithm")]
    [InlineData("kid")]
    [InlineData("jwks")]
    [InlineData("remove-jwks")]
    public void Any_key_setting_means_PrivateKeyJwt(string setting)
    {
        OAuthEdit edit = setting switch
        {
            "algorithm" => new OAuthEdit { Algorithm = JwtSigningAlgorithm.RS384 },
            "kid" => new OAuthEdit { KeyId = "kid" },
            "jwks" => new OAuthEdit { JwksUrl = new Uri("https://client.example.org/jwks") },
            _ => new OAuthEdit { RemoveJwksUrl = true },
        };
        Assert.True(edit.HasKeySettings);
        Assert.Equal(OAuthClientAuthentication.PrivateKeyJwt, edit.ApplyTo(Samples.OAuth()).ClientAuthentication);
    }

    [Fact]
    public void A_given_method_wins_over_key_settings_and_no_key_means_ClientSecretBasic()
    {
        OAuthEdit withKey = NewOAuth() with { KeyId = "kid", ClientAuthentication = OAuthClientAuthentication.ClientSecretPost };
        Assert.Equal(OAuthClientAuthentication.ClientSecretPost, withKey.Create("o").ClientAuthentication);
        Assert.Equal(ErrorIds.OAuthClientCredentialConflict, Assert.Throws<FhirSecurityException>(withKey.Create("o").Validate).ErrorId);
        Assert.Equal(OAuthClientAuthentication.ClientSecretBasic, (NewOAuth() with { ClientSecret = new SecretValue("s") }).Create("o").ClientAuthentication);
    }

    [Fact]
    public void A_key_on_a_secret_definition_drops_the_secret_and_a_secret_on_a_key_definition_drops_the_key()
    {
        OAuthDefinition keyed = (NewOAuth() with { Key = Key(), KeyId = "kid" }).ApplyTo(Samples.OAuth());
        Assert.Equal((OAuthClientAuthentication.PrivateKeyJwt, (SecretValue?)null), (keyed.ClientAuthentication, keyed.ClientSecret));
        keyed.Validate();

        OAuthDefinition back = new OAuthEdit { ClientSecret = new SecretValue("s") }.ApplyTo(keyed);
        Assert.Equal(OAuthClientAuthentication.ClientSecretBasic, back.ClientAuthentication);
        Assert.Null(back.PrivateKey);
        Assert.Null(back.Algorithm);
        Assert.Null(back.KeyId);
        back.Validate();
    }

    [Fact]
    public void A_key_definition_keeps_its_JWKS_URL_unless_it_is_removed_and_a_new_token_URL_forgets_discovery()
    {
        OAuthDefinition keyed = TestKeys.KeyOAuth(JwtSigningAlgorithm.ES384, jwksUrl: new Uri("https://client.example.org/jwks"))
            with { DiscoveredFrom = Base };
        Assert.Equal(keyed.JwksUrl, new OAuthEdit { KeyId = "kid-2" }.ApplyTo(keyed).JwksUrl);
        Assert.Null(new OAuthEdit { RemoveJwksUrl = true }.ApplyTo(keyed).JwksUrl);
        Assert.Equal(Base, new OAuthEdit { KeyId = "kid-2" }.ApplyTo(keyed).DiscoveredFrom);
        Assert.Null(new OAuthEdit { TokenUrl = new Uri("https://auth.example.org/t2") }.ApplyTo(keyed).DiscoveredFrom);
    }

    [Fact]
    public void An_OAuth_edit_with_nothing_given_is_empty()
    {
        Assert.True(new OAuthEdit().IsEmpty);
        Assert.False(new OAuthEdit { RemoveJwksUrl = true }.IsEmpty);
        Assert.False(new OAuthEdit { Scopes = [] }.IsEmpty);
    }

    // --- Set-FhirConnection's client certificate and proxy switches --------------------------------------------

    [Theory]
    [InlineData(true, false, true)]
    [InlineData(false, true, false)]
    [InlineData(false, true, true)]
    public void Contradicting_client_certificate_parameters_are_refused_before_any_file_is_read(bool path, bool key, bool remove)
    {
        var ex = Assert.Throws<FhirSecurityException>(() => ConnectionEdit.CheckClientCertificateParameters(path, key, remove, "c"));
        Assert.Equal(ErrorIds.ConnectionClientCertificateConflict, ex.ErrorId);
        ConnectionEdit.CheckClientCertificateParameters(path: true, keyOrPassword: true, remove: false, "c");
        ConnectionEdit.CheckClientCertificateParameters(path: false, keyOrPassword: false, remove: true, "c");
    }

    [Fact]
    public void NoClientCertificate_removes_it_and_no_certificate_given_keeps_it()
    {
        ConnectionDefinition current = Samples.Connection();
        Assert.Null(new ConnectionEdit { NoClientCertificate = true }.ApplyTo(current).ClientCertificate);
        Assert.Equal(current, new ConnectionEdit().ApplyTo(current));
    }

    [Theory]
    [InlineData("proxy+none")]
    [InlineData("none+system")]
    [InlineData("credential+none")]
    [InlineData("credential+system")]
    [InlineData("credential-alone-on-system")]
    public void Contradicting_proxy_switches_are_ConnectionProxyConflict(string combination)
    {
        UserCredential credential = new("u", new SecretValue("p"));
        ConnectionEdit edit = combination switch
        {
            "proxy+none" => new ConnectionEdit { Proxy = new Uri("http://proxy.example.org:3128"), NoProxy = true },
            "none+system" => new ConnectionEdit { NoProxy = true, SystemProxy = true },
            "credential+none" => new ConnectionEdit { ProxyCredential = credential, NoProxy = true },
            "credential+system" => new ConnectionEdit { ProxyCredential = credential, SystemProxy = true },
            _ => new ConnectionEdit { ProxyCredential = credential },
        };
        var ex = Assert.Throws<FhirSecurityException>(() => edit.ApplyTo(Samples.Connection()));
        Assert.Equal(ErrorIds.ConnectionProxyConflict, ex.ErrorId);
        Assert.Equal("conn1", ex.Target);
    }

    [Fact]
    public void Proxy_switches_choose_the_mode_and_credentials_follow_their_proxy()
    {
        var proxy = new Uri("http://proxy.example.org:3128");
        ConnectionDefinition withProxy = Samples.Connection() with { Proxy = ProxySettings.Explicit(proxy, "old", new SecretValue("old")) };
        Assert.Equal(ProxySettings.None, new ConnectionEdit { NoProxy = true }.ApplyTo(withProxy).Proxy);
        Assert.Equal(ProxySettings.System, new ConnectionEdit { SystemProxy = true }.ApplyTo(withProxy).Proxy);

        var other = new Uri("http://other.example.org:8080");
        ProxySettings replaced = new ConnectionEdit { Proxy = other }.ApplyTo(withProxy).Proxy;
        Assert.Equal((other, (string?)null), (replaced.Address, replaced.UserName));

        ProxySettings recredentialed = new ConnectionEdit { ProxyCredential = new("new", new SecretValue("pw")) }.ApplyTo(withProxy).Proxy;
        Assert.Equal((proxy, "new", "pw"), (recredentialed.Address, recredentialed.UserName, recredentialed.Password?.Reveal()));
    }

    [Fact]
    public void Choosing_one_authentication_drops_the_other_and_NoAuthentication_drops_both()
    {
        ConnectionDefinition basic = Samples.Connection(basic: "b");
        ConnectionDefinition oauth = new ConnectionEdit { OAuth = "o" }.ApplyTo(basic);
        Assert.Equal(((string?)null, "o"), (oauth.BasicAuth, oauth.OAuth));
        ConnectionDefinition basic2 = new ConnectionEdit { BasicAuth = "b2" }.ApplyTo(oauth);
        Assert.Equal(("b2", (string?)null), (basic2.BasicAuth, basic2.OAuth));
        ConnectionDefinition none = new ConnectionEdit { NoAuthentication = true }.ApplyTo(basic);
        Assert.False(none.HasAuthentication);
        Assert.Equal("b", new ConnectionEdit { TimeoutSec = 5 }.ApplyTo(basic).BasicAuth);
    }

    // --- Basic Auth and CA bundles -----------------------------------------------------------------------------

    [Fact]
    public void A_Basic_Auth_edit_changes_only_what_is_given()
    {
        BasicAuthDefinition current = Samples.Basic();
        BasicAuthDefinition renamed = new BasicAuthEdit { UserName = "other" }.ApplyTo(current);
        Assert.Equal(("other", current.Password), (renamed.UserName, renamed.Password));
        Assert.True(new BasicAuthEdit().IsEmpty);
        BasicAuthDefinition created = BasicAuthEdit.From(new UserCredential("u", new SecretValue("p"))).Create("b");
        Assert.Equal(("u", "p"), (created.UserName, created.Password.Reveal()));
    }

    private static OAuthEdit NewOAuth() => new() { TokenUrl = new Uri("https://auth.example.org/token"), ClientId = "client-1" };

    private static ClientKey Key() => ClientKey.Parse(new SecretValue(TestKeys.P384.ExportPkcs8PrivateKeyPem()), "test", "o");
}
