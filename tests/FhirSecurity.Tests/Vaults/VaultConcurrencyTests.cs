using System.Management.Automation;
using FhirSecurity.Tests.Definitions;
using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Vaults;

/// <summary>
/// SecretManagement runs every vault call of a process in one static runspace and fails calls that overlap
/// (SECRETMANAGEMENT.md). The double does the same; these tests show it failing without the module's gate, and the
/// module's reads and writes from parallel runspaces passing through the gate, retried when a user's own call
/// collides with them, and reported as SecretVaultBusy when the collision lasts.
/// </summary>
public sealed class VaultConcurrencyTests : DefinitionCmdletTest
{
    private const string ParallelCredential =
        "[pscredential]::new('svc-fhir', [System.Net.NetworkCredential]::new('', 'CanaryPw-5b2e9d').SecurePassword)";

    [Fact]
    public async Task The_double_fails_an_overlapping_Get_Secret_as_the_real_module_does()
    {
        TestVaults.WriteRaw(DefaultVault, "s", "value");
        using PsSession other = PsSession.Create();
        Task<PsResult> holding = await HoldTheVault(other, TimeSpan.FromMilliseconds(600), $"Microsoft.PowerShell.SecretManagement\\Get-Secret -Name s -Vault {DefaultVault} -AsPlainText");

        PsResult overlapping = Run($"Microsoft.PowerShell.SecretManagement\\Get-Secret -Name s -Vault {DefaultVault} -AsPlainText");

        Assert.Empty(overlapping.Output);
        Assert.Equal(
            ["GetSecretInvalidOperation,Microsoft.PowerShell.SecretManagement.GetSecretCommand", "GetSecretNotFound,Microsoft.PowerShell.SecretManagement.GetSecretCommand"],
            overlapping.ErrorIds);
        ErrorRecord collision = overlapping.Errors[0];
        Assert.IsType<PSInvalidOperationException>(collision.Exception);
        Assert.Equal($"Unable to get secret s from vault {DefaultVault}", collision.Exception.Message);
        Assert.IsType<PSInvalidOperationException>(collision.Exception.InnerException);
        Assert.Equal(
            "The pipeline was not run because a pipeline is already running. Pipelines cannot be run concurrently.",
            collision.Exception.InnerException!.Message);
        Assert.Equal(ErrorCategory.InvalidOperation, collision.CategoryInfo.Category);
        Assert.Equal(["value"], (await holding).BaseOutput);
    }

    [Fact]
    public async Task The_double_writes_nothing_when_a_Set_Secret_overlaps()
    {
        TestVaults.WriteRaw(DefaultVault, "s", "value");
        using PsSession other = PsSession.Create();
        Task<PsResult> holding = await HoldTheVault(other, TimeSpan.FromMilliseconds(600), $"Microsoft.PowerShell.SecretManagement\\Get-SecretInfo -Vault {DefaultVault}");

        PsResult overlapping = Run($"Microsoft.PowerShell.SecretManagement\\Set-Secret -Name t -Secret new -Vault {DefaultVault}");

        Assert.Equal(["SetSecretInvalidOperation,Microsoft.PowerShell.SecretManagement.SetSecretCommand"], overlapping.ErrorIds);
        Assert.Equal($"Unable to add secret t to vault {DefaultVault}", overlapping.Errors[0].Exception.Message);
        Assert.False(TestVaults.Snapshot(DefaultVault).ContainsKey("t"));
        Assert.Single((await holding).Output);
    }

    [Fact]
    public void Bare_Get_Secret_calls_from_parallel_runspaces_collide_without_the_gate()
    {
        TestVaults.WriteRaw(DefaultVault, "s", "value");
        TestVaults.CallLatency = TimeSpan.FromMilliseconds(20);

        PsResult result = Run(
            "1..64 | ForEach-Object -ThrottleLimit 8 -Parallel { "
            + $"Microsoft.PowerShell.SecretManagement\\Get-Secret -Name s -Vault {DefaultVault} -AsPlainText }}");

        // What users of the real module see: reads lost to "a pipeline is already running".
        Assert.True(TestVaults.Collisions > 0, "no two parallel Get-Secret calls overlapped");
        Assert.True(result.Output.Count < 64, $"{result.Output.Count} of 64 reads succeeded");
        Assert.Contains("GetSecretInvalidOperation,Microsoft.PowerShell.SecretManagement.GetSecretCommand", result.ErrorIds);
    }

    [Fact]
    public void Module_writes_and_reads_from_parallel_runspaces_never_overlap()
    {
        TestVaults.CallLatency = TimeSpan.FromMilliseconds(5);
        var manifest = new Dictionary<string, object?> { ["manifest"] = RepoPaths.ModuleManifest };

        PsResult writes = Run(
            "1..16 | ForEach-Object -ThrottleLimit 8 -Parallel { Import-Module $using:manifest; "
            + $"New-FhirBasicAuth -Name \"p$_\" -Credential ({ParallelCredential}) -Vault {DefaultVault} -PassThru }}",
            manifest);
        PsResult reads = Run(
            "1..64 | ForEach-Object -ThrottleLimit 8 -Parallel { Import-Module $using:manifest; "
            + "(Get-FhirBasicAuth -Name \"p$($_ % 16 + 1)\").Name }",
            manifest);

        Assert.True(writes.Errors.Count == 0, string.Join(" | ", writes.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        Assert.Equal(16, writes.Output.Count);
        Assert.Equal(16, TestVaults.Snapshot(DefaultVault).Count);
        Assert.True(reads.Errors.Count == 0, string.Join(" | ", reads.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"p{(i + 1) % 16 + 1}").Order(), reads.BaseOutput.Cast<string>().Order());
        Assert.Equal(0, TestVaults.Collisions);
    }

    [Fact]
    public async Task A_collision_with_a_users_own_vault_call_is_retried_and_leaves_no_error()
    {
        // The other call holds the vault for 0.8 s: long enough for the module's first try to meet it on a busy
        // machine, short enough for its retries (about 1.2 s in all) to outlast it.
        RunOk(NewBasic("b"));
        using PsSession other = PsSession.Create();
        Task<PsResult> holding = await HoldTheVault(other, TimeSpan.FromMilliseconds(800), $"Microsoft.PowerShell.SecretManagement\\Get-SecretInfo -Vault {DefaultVault}");

        PsResult result = RunOk("$Error.Clear(); (Get-FhirBasicAuth -Name b).UserName; $Error.Count");

        Assert.Equal(["svc-fhir", 0], result.BaseOutput);
        Assert.True(TestVaults.Collisions >= 1, "the module's read met the other call");
        Assert.Empty((await holding).Errors);
    }

    [Fact]
    public async Task A_collision_that_outlasts_the_retries_is_SecretVaultBusy_and_says_why()
    {
        // 4 s: longer than every retry together (about 1.2 s), even when the module's first try starts late.
        RunOk(NewBasic("b"));
        using PsSession other = PsSession.Create();
        Task<PsResult> holding = await HoldTheVault(other, TimeSpan.FromMilliseconds(4000), $"Microsoft.PowerShell.SecretManagement\\Get-SecretInfo -Vault {DefaultVault}");

        PsResult result = Run("Get-FhirBasicAuth -Name b");

        ErrorRecord error = AssertError(result, "SecretVaultBusy", "Get-FhirBasicAuth");
        Assert.Equal(ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
        Assert.Contains("another call", error.Exception.Message);
        Assert.Contains("tried 6 times", error.Exception.Message);
        Assert.Equal(6, TestVaults.Collisions);
        await holding;
    }

    /// <summary>
    /// Makes every vault call take <paramref name="latency"/>, opens this test's own session (so its call starts at
    /// once), runs <paramref name="script"/> in <paramref name="other"/> on a thread of its own (the thread pool may
    /// start it late) and returns when that call holds the double's shared runspace.
    /// </summary>
    private async Task<Task<PsResult>> HoldTheVault(PsSession other, TimeSpan latency, string script)
    {
        TestVaults.CallLatency = latency;
        Assert.Empty(Run("$null").Errors);
        Task<PsResult> holding = Task.Factory.StartNew(() => other.Run(script), TaskCreationOptions.LongRunning);
        for (int waited = 0; !TestVaults.CallInFlight; waited += 5)
        {
            Assert.True(waited < 10_000, "the other session's vault call never started");
            await Task.Delay(5);
        }

        return holding;
    }
}
