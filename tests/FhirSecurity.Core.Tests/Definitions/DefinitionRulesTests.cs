using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;
using FhirSecurity.Core.Tests.Fakes;
using Xunit;

namespace FhirSecurity.Core.Tests.Definitions;

public sealed class DefinitionRulesTests
{
    [Theory]
    [InlineData("prod")]
    [InlineData("prod-eu-1")]
    [InlineData("A1")]
    public void Vault_portable_names_are_accepted(string name) => DefinitionName.Validate(name, DefinitionKind.Connection);

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("under_score")]
    [InlineData("-leading")]
    [InlineData("trailing-")]
    [InlineData("dot.ted")]
    [InlineData("ümlaut")]
    public void Names_a_vault_may_refuse_are_InvalidDefinitionName(string name)
    {
        var ex = Assert.Throws<FhirSecurityException>(() => DefinitionName.Validate(name, DefinitionKind.Connection));
        Assert.Equal(ErrorIds.InvalidDefinitionName, ex.ErrorId);
        Assert.Equal(FailureCategory.InvalidArgument, ex.Category);
    }

    [Fact]
    public void Names_longer_than_the_limit_are_refused()
        => Assert.Throws<FhirSecurityException>(() => DefinitionName.Validate(new string('a', DefinitionName.MaxLength + 1), DefinitionKind.BasicAuth));

    [Fact]
    public void Secret_names_are_prefixed_by_kind() => Assert.Equal("FhirSecurity-Connection-prod", DefinitionName.ToSecretName(DefinitionKind.Connection, "prod"));

    [Fact]
    public void Connection_with_both_Basic_and_OAuth_is_refused()
        => AssertRule(ErrorIds.ConnectionAuthenticationConflict, Samples.Connection(basic: "b", oauth: "o"));

    [Fact]
    public void CustomBundle_without_bundle_is_refused()
        => AssertRule(ErrorIds.ConnectionCaBundleRequired, Samples.Connection() with { TlsValidation = TlsValidationMode.CustomBundle });

    [Fact]
    public void Bundle_without_CustomBundle_is_refused()
        => AssertRule(ErrorIds.ConnectionCaBundleUnused, Samples.Connection() with { CaBundle = "ca" });

    [Fact]
    public void Http_with_credentials_is_refused_unless_allowed()
    {
        var plain = Samples.Connection(basic: "b") with { BaseUri = new Uri("http://fhir.example.org/") };
        AssertRule(ErrorIds.ConnectionUnencryptedAuthentication, plain);
        (plain with { AllowUnencryptedAuthentication = true }).Validate();
        (plain with { BasicAuth = null }).Validate();
    }

    [Theory]
    [InlineData("ftp://fhir.example.org/")]
    [InlineData("https://fhir.example.org/r4?x=1")]
    [InlineData("https://user:pw@fhir.example.org/")]
    public void Base_uri_must_be_a_plain_http_url(string uri)
        => AssertRule(ErrorIds.ConnectionBaseUriInvalid, Samples.Connection() with { BaseUri = new Uri(uri) });

    [Fact]
    public void Base_uri_gets_a_trailing_slash_so_relative_paths_stay_below_it()
    {
        Uri normalized = ConnectionDefinition.NormalizeBaseUri(new Uri("https://fhir.example.org/r4"));
        Assert.Equal(new Uri("https://fhir.example.org/r4/Patient/1"), new Uri(normalized, "Patient/1"));
    }

    [Fact]
    public void Token_url_must_be_https() => AssertRule(ErrorIds.OAuthTokenUrlInvalid, Samples.OAuth() with { TokenUrl = new Uri("http://auth.example.org/token") });

    [Fact]
    public void Empty_client_secret_is_refused() => AssertRule(ErrorIds.OAuthClientSecretMissing, Samples.OAuth() with { ClientSecret = new SecretValue(string.Empty) });

    [Fact]
    public void Scope_with_spaces_is_refused() => AssertRule(ErrorIds.OAuthScopeInvalid, Samples.OAuth() with { Scopes = ["a b"] });

    [Theory]
    [InlineData("client_secret")]
    [InlineData("grant_type")]
    [InlineData("SCOPE")]
    public void Reserved_token_parameters_cannot_be_overridden(string parameter)
        => AssertRule(ErrorIds.OAuthParameterReserved, Samples.OAuth() with { ExtraParameters = new Dictionary<string, string> { [parameter] = "x" } });

    [Fact]
    public void User_name_with_colon_is_refused() => AssertRule(ErrorIds.BasicAuthUserNameInvalid, Samples.Basic() with { UserName = "a:b" });

    private static void AssertRule(string errorId, Definition definition)
    {
        var ex = Assert.Throws<FhirSecurityException>(definition.Validate);
        Assert.Equal(errorId, ex.ErrorId);
    }
}
