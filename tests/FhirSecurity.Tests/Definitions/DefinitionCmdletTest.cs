using System.Management.Automation;
using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Definitions;

/// <summary>Shared helpers for the definition cmdlet tests: canary secrets, credentials built the hosted way, error ids.</summary>
public abstract class DefinitionCmdletTest : HostedEngineTest
{
    /// <summary>Canaries: if one of these shows anywhere in a stream, a secret leaked.</summary>
    protected const string Password = "CanaryPw-5b2e9d";
    protected const string ClientSecret = "CanaryCs-77c1aa";

    protected static string Secure(string text) => $"[System.Net.NetworkCredential]::new('', '{text}').SecurePassword";

    protected static string Credential(string user, string password) => $"([pscredential]::new('{user}', {Secure(password)}))";

    protected string NewBasic(string name, string vault = DefaultVault)
        => $"New-FhirBasicAuth -Name {name} -Credential {Credential("svc-fhir", Password)} -Vault {vault}";

    protected string NewOAuth(string name, string vault = DefaultVault)
        => $"New-FhirOAuth -Name {name} -TokenUrl https://auth.example.org/token -ClientId reader -ClientSecret ({Secure(ClientSecret)}) -Scope system/Patient.rs -Vault {vault}";

    /// <summary>Runs and asserts the run produced no error.</summary>
    protected PsResult RunOk(string script)
    {
        PsResult result = Run(script);
        Assert.True(result.Errors.Count == 0, "Unexpected errors: " + string.Join(" | ", result.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        return result;
    }

    /// <summary>Asserts the single error of a run has the id, as raised by the named cmdlet, and returns it.</summary>
    protected static ErrorRecord AssertError(PsResult result, string errorId, string cmdlet)
    {
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal($"{errorId},FhirSecurity.Commands.{cmdlet.Replace("-", string.Empty)}Command", error.FullyQualifiedErrorId);
        return error;
    }

    /// <summary>The JSON document stored for a definition.</summary>
    protected static string StoredDocument(string secretName, string vault = DefaultVault) => TestVaults.Snapshot(vault)[secretName].Value;

    /// <summary>
    /// The single output object, checked to be of the module's view type <paramref name="typeName"/>. This project
    /// does not reference the module (so it loads exactly as in pwsh); members are reached dynamically.
    /// </summary>
    protected static dynamic Single(PsResult result, string typeName)
    {
        object item = Assert.Single(result.Output).BaseObject;
        Assert.Equal($"FhirSecurity.{typeName}", item.GetType().FullName);
        return item;
    }

    /// <summary>The names of the output objects.</summary>
    protected static IReadOnlyList<string> Names(PsResult result) => result.Output.Select(o => (string)o.Properties["Name"].Value).ToList();
}
