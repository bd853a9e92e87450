using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Definitions;

/// <summary>
/// Pipelines that read as sentences: what Get- writes is what Set- and Remove- take, by name and by vault, for
/// every kind. (Connections: ConnectionCmdletTests; requests: InvokeFhirRequestTests.)
/// </summary>
public sealed class PipelineTests : DefinitionCmdletTest
{
    private readonly TestPki _pki = TestPki.Create();

    public PipelineTests()
    {
        TestVaults.Register("Other");
    }

    [Fact]
    public void Get_OAuth_pipes_into_Set_and_Remove()
    {
        RunOk($"{NewOAuth("old-a")}; {NewOAuth("old-b")}; {NewOAuth("keep")}");

        PsResult set = RunOk("Get-FhirOAuth old* | Set-FhirOAuth -Scope system/Observation.rs -PassThru");
        Assert.Equal(["old-a", "old-b"], Names(set));
        Assert.All(set.Output, o => Assert.Equal(["system/Observation.rs"], ((System.Collections.IEnumerable)o.Properties["Scope"].Value).Cast<string>()));

        RunOk("Get-FhirOAuth old* | Remove-FhirOAuth -Confirm:$false");
        Assert.Equal(["keep"], Names(RunOk("Get-FhirOAuth")));
    }

    [Fact]
    public void Get_CaBundle_pipes_into_Set_and_Remove()
    {
        Run("Import-FhirCaBundle -Name corp -Pem $root; Import-FhirCaBundle -Name corp-2 -Pem $root", Pems());

        PsResult set = Run("Get-FhirCaBundle corp* | Set-FhirCaBundle -Pem $bundle -PassThru", Pems());
        Assert.Empty(set.Errors);
        Assert.Equal(["corp", "corp-2"], Names(set));

        RunOk("Get-FhirCaBundle corp-2 | Remove-FhirCaBundle -Confirm:$false");
        Assert.Equal(["corp"], Names(RunOk("Get-FhirCaBundle")));
    }

    [Fact]
    public void Piped_definitions_go_back_to_their_own_vault()
    {
        RunOk($"{NewBasic("old", "Other")}; {NewBasic("old")}");

        RunOk("Get-FhirBasicAuth old -Vault Other | Remove-FhirBasicAuth -Confirm:$false");

        Assert.False(TestVaults.Snapshot("Other").ContainsKey("FhirSecurity-BasicAuth-old"));
        Assert.True(TestVaults.Snapshot(DefaultVault).ContainsKey("FhirSecurity-BasicAuth-old"));
    }

    [Fact]
    public void Names_pipe_into_Remove()
    {
        RunOk($"{NewBasic("a")}; {NewBasic("b")}; {NewBasic("c")}");

        RunOk("'a', 'b' | Remove-FhirBasicAuth -Confirm:$false");

        Assert.Equal(["c"], Names(RunOk("Get-FhirBasicAuth")));
    }

    private Dictionary<string, object?> Pems() => new() { ["root"] = _pki.RootPem, ["bundle"] = _pki.BundlePem };

    /// <inheritdoc />
    protected override void Cleanup() => _pki.Dispose();
}
