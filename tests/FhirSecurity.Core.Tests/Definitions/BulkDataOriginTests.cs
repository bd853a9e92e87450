using System.Text.Json.Nodes;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Definitions.Edits;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Tests.Fakes;
using Xunit;

namespace FhirSecurity.Core.Tests.Definitions;

/// <summary>
/// A connection's Bulk Data origins: the other hosts an export may send its credentials to, and nothing else may.
/// </summary>
public sealed class BulkDataOriginTests
{
    private static readonly Uri Files = new("https://files.example.net");

    private static ConnectionDefinition WithOrigins(params string[] origins)
        => Samples.Connection(oauth: "o1") with { BulkDataOrigins = [.. origins.Select(o => new Uri(o))] };

    [Fact]
    public void CredentialsGoToABulkDataOriginOnlyForBulkDataRequests()
    {
        ConnectionDefinition connection = WithOrigins("https://files.example.net:8443");
        var file = new Uri("https://files.example.net:8443/exports/1/Patient.ndjson");

        Assert.True(connection.MaySendCredentialsTo(file, bulkData: true));
        Assert.False(connection.MaySendCredentialsTo(file, bulkData: false));
        Assert.False(connection.MaySendCredentialsTo(new Uri("https://files.example.net/x"), bulkData: true));
        Assert.False(connection.MaySendCredentialsTo(new Uri("http://files.example.net:8443/x"), bulkData: true));
        Assert.True(connection.MaySendCredentialsTo(new Uri(connection.BaseUri, "Patient/1"), bulkData: false));
    }

    [Fact]
    public void ANewConnectionHasNone()
    {
        ConnectionDefinition connection = Samples.Connection(oauth: "o1");

        Assert.Empty(connection.BulkDataOrigins);
        Assert.False(connection.MaySendCredentialsTo(Files, bulkData: true));
    }

    [Theory]
    [InlineData("https://files.example.net")]
    [InlineData("https://files.example.net/")]
    [InlineData("https://files.example.net:8443")]
    public void AnHttpsOriginIsAccepted(string origin)
    {
        WithOrigins(origin).Validate();
    }

    [Theory]
    [InlineData("https://files.example.net/exports")]
    [InlineData("https://files.example.net/?sig=1")]
    [InlineData("https://files.example.net/#top")]
    [InlineData("http://files.example.net")]
    [InlineData("ftp://files.example.net")]
    public void AnythingButAnHttpsOriginIsRefused(string origin)
    {
        var error = Assert.Throws<FhirSecurityException>(() => WithOrigins(origin).Validate());

        Assert.Equal(ErrorIds.ConnectionBulkDataOriginInvalid, error.ErrorId);
        Assert.Equal(FailureCategory.InvalidArgument, error.Category);
        Assert.Contains("https://files.example.org", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARelativeValueIsRefused()
    {
        ConnectionDefinition connection = Samples.Connection() with
        {
            BulkDataOrigins = [new Uri("files.example.net", UriKind.Relative)],
        };

        var error = Assert.Throws<FhirSecurityException>(connection.Validate);

        Assert.Equal(ErrorIds.ConnectionBulkDataOriginInvalid, error.ErrorId);
        Assert.Contains("'files.example.net'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARefusedOriginsUserInfoAndQueryAreNotEchoed()
    {
        var error = Assert.Throws<FhirSecurityException>(
            () => WithOrigins("https://svc:pw-canary-31@files.example.net/?sig=sig-canary-32").Validate());

        Assert.Equal(ErrorIds.ConnectionBulkDataOriginInvalid, error.ErrorId);
        Assert.DoesNotContain("pw-canary-31", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sig-canary-32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainHttpIsAcceptedOnlyWhereTheConnectionAllowsUnencryptedCredentials()
    {
        ConnectionDefinition connection = WithOrigins("http://127.0.0.1:8080") with
        {
            AllowUnencryptedAuthentication = true,
        };

        connection.Validate();
    }

    [Fact]
    public void AnEditReplacesTheListOnceEachAndNoBulkDataOriginEmptiesIt()
    {
        ConnectionDefinition current = WithOrigins("https://old.example.net");

        ConnectionDefinition replaced = new ConnectionEdit
        {
            BulkDataOrigins = [new Uri("https://A.example.net/"), new Uri("https://a.example.net"), Files],
        }.ApplyTo(current);
        ConnectionDefinition kept = new ConnectionEdit { TimeoutSec = 30 }.ApplyTo(current);
        ConnectionDefinition emptied = new ConnectionEdit { NoBulkDataOrigin = true }.ApplyTo(current);

        Assert.Equal(
            ["https://a.example.net", "https://files.example.net"],
            replaced.BulkDataOrigins.Select(ConnectionDefinition.OriginOf));
        Assert.Equal(current.BulkDataOrigins, kept.BulkDataOrigins);
        Assert.Empty(emptied.BulkDataOrigins);
    }

    [Fact]
    public void SettingAndRemovingTogetherIsAConflict()
    {
        var edit = new ConnectionEdit { BulkDataOrigins = [Files], NoBulkDataOrigin = true };

        var error = Assert.Throws<FhirSecurityException>(() => edit.ApplyTo(Samples.Connection()));

        Assert.Equal(ErrorIds.ConnectionBulkDataOriginConflict, error.ErrorId);
        Assert.Equal(FailureCategory.InvalidArgument, error.Category);
    }

    [Fact]
    public void TheOriginsRoundTripThroughTheStoredDocumentAsOrigins()
    {
        ConnectionDefinition original = WithOrigins("https://files.example.net/", "https://status.example.net:8443");

        string json = DefinitionDocument.Serialize(original);
        var read = (ConnectionDefinition)DefinitionDocument.Deserialize(json, DefinitionKind.Connection, "s");

        Assert.Equal(
            ["https://files.example.net", "https://status.example.net:8443"],
            JsonNode.Parse(json)!["bulkDataOrigins"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(
            ["https://files.example.net", "https://status.example.net:8443"],
            read.BulkDataOrigins.Select(ConnectionDefinition.OriginOf));
    }

    [Fact]
    public void ADocumentWithoutTheFieldReadsAsNoneAndIsWrittenWithoutIt()
    {
        string json = DefinitionDocument.Serialize(Samples.Connection());
        var read = (ConnectionDefinition)DefinitionDocument.Deserialize(json, DefinitionKind.Connection, "s");

        Assert.Null(JsonNode.Parse(json)!["bulkDataOrigins"]);
        Assert.Empty(read.BulkDataOrigins);
    }

    [Fact]
    public void AStoredOriginThatIsNotAUriIsACorruptDocument()
    {
        JsonObject json = JsonNode.Parse(DefinitionDocument.Serialize(Samples.Connection()))!.AsObject();
        json["bulkDataOrigins"] = new JsonArray("not a uri");

        var error = Assert.Throws<FhirSecurityException>(
            () => DefinitionDocument.Deserialize(json.ToJsonString(), DefinitionKind.Connection, "s"));

        Assert.Equal(ErrorIds.DefinitionCorrupt, error.ErrorId);
    }
}
