using FhirSecurity.Tests.Definitions;
using FhirSecurity.Tests.Harness;
using Xunit;

namespace FhirSecurity.Tests.Vaults;

/// <summary>
/// A command that succeeds leaves <c>$Error</c> as it was, although its existence checks meet Get-Secret's
/// GetSecretNotFound (which SecretManagement adds to <c>$Error</c> of the runspace that calls it).
/// </summary>
public sealed class ErrorVariableTests : DefinitionCmdletTest
{
    [Theory]
    [InlineData("Continue")]
    [InlineData("Stop")]
    public void Successful_commands_leave_Error_as_it_was(string preference)
    {
        PsResult result = RunOk(
            $"$ErrorActionPreference = '{preference}'; $Error.Clear(); "
            + NewBasic("b") + "; "
            + "New-FhirConnection -Name c -BaseUri https://fhir.example.org/r4 -BasicAuth b; "
            + "Set-FhirBasicAuth -Name b -Credential " + Credential("other", Password) + "; "
            + "$null = Get-FhirBasicAuth -Name b; $null = Get-FhirConnection; "
            + "Remove-FhirConnection -Name c -Confirm:$false; "
            + NewOAuth("o") + " -Force; "
            + "$Error.Count");

        Assert.Equal([0], result.BaseOutput);
    }

    [Fact]
    public void A_failed_command_adds_its_own_error_only()
    {
        PsResult result = Run("$Error.Clear(); Get-FhirBasicAuth -Name missing -ErrorAction SilentlyContinue; $Error | ForEach-Object FullyQualifiedErrorId");

        Assert.Equal(["DefinitionNotFound,FhirSecurity.Commands.GetFhirBasicAuthCommand"], result.BaseOutput);
    }
}
