using System.Collections;
using System.Management.Automation;
using System.Security;
using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests;

/// <summary>
/// The SecretManagement double, driven through the hosted engine: one test (or more) per row of
/// shared/SECRETMANAGEMENT.md, plus the harness itself.
/// </summary>
public sealed class SecretManagementDoubleTests : HostedEngineTest
{
    private const string Sm = "Microsoft.PowerShell.SecretManagement";

    private static string Secure(string text) => $"[System.Net.NetworkCredential]::new('', '{text}').SecurePassword";

    [Fact]
    public void BuiltModuleImportsAndGetSecretIsReachableModuleQualified()
    {
        PsResult module = Run("Get-Module FhirSecurity");
        PsResult command = Run($"Get-Command {Sm}\\Get-Secret");
        PsResult version = Run($"(Get-Module {Sm}).Version.ToString()");

        Assert.Single(module.Output);
        Assert.Equal(RepoPaths.ModuleManifest, Path.Combine(((PSModuleInfo)module.Output[0].BaseObject).ModuleBase, "FhirSecurity.psd1"));
        CmdletInfo cmdlet = Assert.IsType<CmdletInfo>(Assert.Single(command.Output).BaseObject);
        Assert.Same(typeof(GetSecretCommand), cmdlet.ImplementingType);
        Assert.Equal("1.1.2", Assert.Single(version.Output).BaseObject);
    }

    [Fact]
    public void CmdletsAndTestVaultsShareOneState()
    {
        TestVaults.WriteRaw(DefaultVault, "Raw", "from-another-process");

        PsResult read = Run($"{Sm}\\Get-Secret -Name Raw -AsPlainText");
        Run($"{Sm}\\Set-Secret -Name Written -Secret 'from-the-session'");

        Assert.Equal("from-another-process", Assert.Single(read.Output).BaseObject);
        Assert.Equal("from-the-session", TestVaults.Snapshot(DefaultVault)["Written"].Value);
        Assert.Equal(new VaultCallCounts(GetSecret: 1, GetSecretInfo: 0, SetSecret: 1, RemoveSecret: 0), TestVaults.Calls(DefaultVault));
    }

    [Fact]
    public void WithoutSecretManagementTheModuleQualifiedCommandIsNotFound()
    {
        using PsSession session = PsSession.Create(withSecretManagement: false);

        PsResult result = session.Run($"{Sm}\\Get-Secret -Name x");

        Assert.Single(session.Run("Get-Module FhirSecurity").Output);
        // What pwsh 7 itself reports for Module\Command when the module is not installed.
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("CouldNotAutoLoadModule", error.FullyQualifiedErrorId);
        Assert.IsType<CommandNotFoundException>(error.Exception);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Empty(session.Run($"Get-Module -ListAvailable -Name {Sm}").Output);
    }

    [Fact]
    public void GetSecretOfAnAbsentNameIsGetSecretNotFound()
    {
        PsResult result = Run("Get-Secret -Name x");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal($"GetSecretNotFound,{Sm}.GetSecretCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.IsType<ItemNotFoundException>(error.Exception);
        Assert.Equal("The secret x was not found.", error.Exception.Message);
        Assert.Null(result.TerminatingError);
        Assert.Empty(result.Output);
        Assert.Equal($"GetSecretNotFound,{Sm}.GetSecretCommand", Run("Get-Secret -Name x -ErrorAction Stop").TerminatingError?.FullyQualifiedErrorId);
    }

    [Fact]
    public void GetSecretFromAnUnknownVaultIsGetSecretVaultNotFound()
    {
        PsResult result = Run("Get-Secret -Name x -Vault NoSuch");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal($"GetSecretVaultNotFound,{Sm}.GetSecretCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("Vault not found in registry: NoSuch", error.Exception.Message);
    }

    [Fact]
    public void GetSecretReturnsAStringSecretAsSecureStringUnlessAsPlainText()
    {
        Run("Set-Secret -Name s -Secret 'plain'");

        object secure = Assert.Single(Run("Get-Secret -Name s").Output).BaseObject;
        object plain = Assert.Single(Run("Get-Secret -Name s -AsPlainText").Output).BaseObject;
        object positional = Assert.Single(Run($"Get-Secret s {DefaultVault} -AsPlainText").Output).BaseObject;

        Assert.IsType<SecureString>(secure);
        Assert.Equal("plain", plain);
        Assert.Equal("plain", positional);
    }

    [Fact]
    public void SecureStringSecretsComeBackAsPlainTextWithAsPlainText()
    {
        Run($"Set-Secret -Name s -SecureStringSecret ({Secure("hidden")})");

        Assert.IsType<SecureString>(Assert.Single(Run("Get-Secret -Name s").Output).BaseObject);
        Assert.Equal("hidden", Assert.Single(Run("Get-Secret -Name s -AsPlainText").Output).BaseObject);
        Assert.Equal(SecretType.SecureString, TestVaults.Snapshot(DefaultVault)["s"].Type);
    }

    [Fact]
    public void GetSecretWithoutVaultSearchesTheDefaultVaultFirstThenTheOthers()
    {
        TestVaults.Register("AVault");
        TestVaults.WriteRaw("AVault", "both", "from-a");
        TestVaults.WriteRaw(DefaultVault, "both", "from-default");
        TestVaults.WriteRaw("AVault", "only-a", "a-only");

        object both = Assert.Single(Run("Get-Secret -Name both -AsPlainText").Output).BaseObject;
        Assert.Equal(new VaultCallCounts(0, 0, 0, 0), TestVaults.Calls("AVault"));
        object onlyA = Assert.Single(Run("Get-Secret -Name only-a -AsPlainText").Output).BaseObject;

        Assert.Equal("from-default", both);
        Assert.Equal("a-only", onlyA);
        Assert.Equal(1, TestVaults.Calls("AVault").GetSecret);
        Assert.Equal(2, TestVaults.Calls(DefaultVault).GetSecret);
    }

    [Fact]
    public void WithNoVaultRegisteredGetSecretWarnsThenFailsNotFound()
    {
        TestVaults.Reset();

        PsResult result = Run("Get-Secret -Name x");

        Assert.Contains("There are currently no extension vaults registered", Assert.Single(result.Warnings).Message);
        Assert.Equal($"GetSecretNotFound,{Sm}.GetSecretCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void SetSecretWithoutVaultOrDefaultVaultFails()
    {
        TestVaults.SetDefault(null);

        PsResult result = Run("Set-Secret -Name x -Secret 'v'");

        Assert.Equal($"SetSecretCommandFailNoVault,{Sm}.SetSecretCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, result.Errors[0].CategoryInfo.Category);
        Assert.Empty(TestVaults.Snapshot(DefaultVault));

        // A cmdlet's terminating error stops only its statement (-ErrorAction does not change that), unless the
        // script's $ErrorActionPreference is Stop.
        Assert.Null(result.TerminatingError);
        PsResult stopped = Run("$ErrorActionPreference = 'Stop'; Set-Secret -Name x -Secret 'v'; 'not reached'");
        Assert.Equal($"SetSecretCommandFailNoVault,{Sm}.SetSecretCommand", stopped.TerminatingError?.FullyQualifiedErrorId);
        Assert.Empty(stopped.Output);
    }

    [Fact]
    public void SetSecretToAnUnknownVaultIsGetSecretVaultNotFound()
    {
        PsResult result = Run("Set-Secret -Name x -Secret 'v' -Vault NoSuch");

        Assert.Equal($"GetSecretVaultNotFound,{Sm}.SetSecretCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void SetSecretOverwritesSilentlyAndDropsMetadataUnlessGivenAgain()
    {
        Run("Set-Secret -Name s -Secret 'one' -Metadata @{ kind = 'Connection'; revision = 1 }");
        PsResult overwrite = Run("Set-Secret -Name s -Secret 'two'");
        SecretSnapshot afterPlain = TestVaults.Snapshot(DefaultVault)["s"];
        PsResult info = Run("(Get-SecretInfo -Name s).Metadata.Count");
        Run("Set-Secret -Name s -Secret 'three' -Metadata @{ kind = 'Connection' }");
        SecretSnapshot afterMetadata = TestVaults.Snapshot(DefaultVault)["s"];

        Assert.Empty(overwrite.Errors);
        Assert.Equal("two", afterPlain.Value);
        Assert.Empty(afterPlain.Metadata);
        Assert.Equal(0, Assert.Single(info.Output).BaseObject);
        Assert.Equal("three", afterMetadata.Value);
        Assert.Equal("Connection", afterMetadata.Metadata["kind"]);
    }

    [Fact]
    public void SetSecretNoClobberOnAnExistingNameFailsAndChangesNothing()
    {
        Run("Set-Secret -Name s -Secret 'one' -Metadata @{ kind = 'x' }");
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);

        PsResult result = Run("Set-Secret -Name S -Secret 'two' -NoClobber");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal($"SetSecretCommandAlreadyExistsWithNoClobber,{Sm}.SetSecretCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Equal($"A secret with name S already exists in vault {DefaultVault}.", error.Exception.Message);
        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
        Assert.Empty(Run("Set-Secret -Name fresh -Secret 'v' -NoClobber").Errors);
    }

    [Fact]
    public void RemoveSecretOfAnAbsentNameIsSecretStoreRemoveSecretFailed()
    {
        PsResult result = Run($"Remove-Secret -Name x -Vault {DefaultVault}");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal($"SecretStoreRemoveSecretFailed,{Sm}.RemoveSecretCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("Secret not found", error.Exception.Message);
    }

    [Fact]
    public void RemoveSecretRemovesFromTheNamedVault()
    {
        TestVaults.WriteRaw(DefaultVault, "Gone", "v");

        PsResult result = Run($"Remove-Secret gone {DefaultVault}");

        Assert.Empty(result.Errors);
        Assert.Empty(TestVaults.Snapshot(DefaultVault));
        Assert.Equal(1, TestVaults.Calls(DefaultVault).RemoveSecret);
    }

    [Fact]
    public void RemoveSecretWithoutVaultIsMissingMandatoryParameter()
    {
        TestVaults.WriteRaw(DefaultVault, "kept", "v");

        PsResult result = Run("Remove-Secret -Name kept");

        Assert.Equal($"MissingMandatoryParameter,{Sm}.RemoveSecretCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Single(TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void LockedVaultGetSecretIsGetSecretExceptionWrappingPasswordRequired()
    {
        TestVaults.WriteRaw(DefaultVault, "s", "v");
        TestVaults.SetLocked(DefaultVault, true);

        PsResult named = Run($"Get-Secret -Name s -Vault {DefaultVault}");
        PsResult searched = Run("Get-Secret -Name s");

        ErrorRecord error = Assert.Single(named.Errors);
        Assert.Equal($"GetSecretException,{Sm}.GetSecretCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Equal($"{Sm}.PasswordRequiredException", error.Exception.GetType().FullName);
        Assert.StartsWith("A valid password is required to access the Microsoft.PowerShell.SecretStore vault.", error.Exception.Message);
        Assert.Contains("Unlock-SecretStore", error.Exception.Message);
        Assert.Equal(
            [$"GetSecretException,{Sm}.GetSecretCommand", $"GetSecretNotFound,{Sm}.GetSecretCommand"],
            searched.ErrorIds);

        TestVaults.SetLocked(DefaultVault, false);
        Assert.Equal("v", Assert.Single(Run("Get-Secret -Name s -AsPlainText").Output).BaseObject);
    }

    [Fact]
    public void LockedVaultSetSecretFailsWithThePasswordRequiredIdAndWritesNothing()
    {
        TestVaults.WriteRaw(DefaultVault, "s", "old");
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);
        TestVaults.SetLocked(DefaultVault, true);

        PsResult result = Run("Set-Secret -Name s -Secret 'new'");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal($"{Sm}.PasswordRequiredException,{Sm}.SetSecretCommand", error.FullyQualifiedErrorId);
        Assert.Contains("A valid password is required", error.Exception.Message + error.Exception.InnerException?.Message);
        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void LockedVaultRemoveAndGetSecretInfoFailToo()
    {
        TestVaults.WriteRaw(DefaultVault, "s", "v");
        TestVaults.SetLocked(DefaultVault, true);

        PsResult remove = Run($"Remove-Secret -Name s -Vault {DefaultVault}");
        PsResult info = Run("Get-SecretInfo");

        Assert.Equal($"{Sm}.PasswordRequiredException,{Sm}.RemoveSecretCommand", Assert.Single(remove.Errors).FullyQualifiedErrorId);
        Assert.Equal($"GetSecretInfoException,{Sm}.GetSecretInfoCommand", Assert.Single(info.Errors).FullyQualifiedErrorId);
        Assert.Single(TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void GetSecretInfoMatchesWildcardsAndDescribesEachSecret()
    {
        Run("""
            Set-Secret -Name 'Prefix-b' -Secret 'text' -Metadata @{ kind = 'Connection' }
            Set-Secret -Name 'Prefix-A' -SecureStringSecret ([System.Net.NetworkCredential]::new('', 'x').SecurePassword)
            Set-Secret -Name 'Prefix-C' -Secret ([pscredential]::new('user', [System.Net.NetworkCredential]::new('', 'p').SecurePassword))
            Set-Secret -Name 'Prefix-D' -Secret @{ a = 'b' }
            Set-Secret -Name 'Prefix-E' -Secret ([byte[]](1, 2, 3))
            Set-Secret -Name 'Other' -Secret 'o'
            """);

        PsResult result = Run("Get-SecretInfo -Name 'prefix-*'");

        List<SecretInformation> infos = result.BaseOutput.Cast<SecretInformation>().ToList();
        Assert.Equal(["Prefix-A", "Prefix-b", "Prefix-C", "Prefix-D", "Prefix-E"], infos.Select(info => info.Name));
        Assert.Equal(
            [SecretType.SecureString, SecretType.String, SecretType.PSCredential, SecretType.Hashtable, SecretType.ByteArray],
            infos.Select(info => info.Type));
        Assert.All(infos, info => Assert.Equal(DefaultVault, info.VaultName));
        Assert.Equal("Connection", infos[1].Metadata["kind"]);
        Assert.Empty(infos[0].Metadata);
        Assert.True(((IDictionary)infos[1].Metadata).IsReadOnly);
        Assert.Equal("String", Assert.Single(Run("(Get-SecretInfo -Name Prefix-b).Type.ToString()").Output).BaseObject);
        Assert.Empty(Run("Get-SecretInfo -Name 'NoMatch*'").Errors);
        Assert.Equal(6, Run("Get-SecretInfo").Output.Count);
    }

    [Fact]
    public void HashtableSecretsTakeOnlyStringBytesSecureStringAndCredentialValues()
    {
        PsResult refused = Run("Set-Secret -Name h -Secret @{ n = 5 }");
        PsResult tooMany = Run("$t = @{}; foreach ($i in 1..21) { $t[\"k$i\"] = 'v' }; Set-Secret -Name big -Secret $t");
        PsResult stored = Run($"Set-Secret -Name h -Secret @{{ s = 'text'; ss = ({Secure("sec")}); b = [byte[]](1) }}");
        PsResult read = Run("Get-Secret -Name h");

        Assert.Equal($"SecretStoreSetSecretFailed,{Sm}.SetSecretCommand", Assert.Single(refused.Errors).FullyQualifiedErrorId);
        Assert.Equal($"SecretStoreSetSecretFailed,{Sm}.SetSecretCommand", Assert.Single(tooMany.Errors).FullyQualifiedErrorId);
        Assert.Empty(stored.Errors);
        Hashtable table = Assert.IsType<Hashtable>(Assert.Single(read.Output).BaseObject);
        Assert.IsType<SecureString>(table["s"]);
        Assert.IsType<SecureString>(table["ss"]);
        Assert.IsType<byte[]>(table["b"]);
        Assert.Equal(["h"], TestVaults.Snapshot(DefaultVault).Keys);
    }

    [Fact]
    public void MetadataKeepsStringIntAndDateTimeValues()
    {
        PsResult stored = Run("Set-Secret -Name m -Secret 'v' -Metadata @{ s = 'text'; i = 42; d = [datetime]::new(2024, 5, 1, 0, 0, 0, [System.DateTimeKind]::Utc) }");
        PsResult refused = Run("Set-Secret -Name bad -Secret 'v' -Metadata @{ f = 1.5 }");

        Assert.Empty(stored.Errors);
        var metadata = ((SecretInformation)Assert.Single(Run("Get-SecretInfo -Name m").Output).BaseObject).Metadata;
        Assert.Equal("text", metadata["s"]);
        Assert.Equal(42, metadata["i"]);
        Assert.Equal(new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc), metadata["d"]);
        Assert.Equal($"SecretStoreSetSecretFailed,{Sm}.SetSecretCommand", Assert.Single(refused.Errors).FullyQualifiedErrorId);
        Assert.False(TestVaults.Snapshot(DefaultVault).ContainsKey("bad"));
    }

    [Fact]
    public void MetadataOnAVaultWithoutMetadataSupportFailsAndWritesNothing()
    {
        TestVaults.Register("NoMeta", supportsMetadata: false);

        PsResult result = Run("Set-Secret -Name s -Secret 'v' -Vault NoMeta -Metadata @{ kind = 'x' }");
        PsResult plain = Run("Set-Secret -Name s -Secret 'v' -Vault NoMeta");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("Cannot store secret s. Vault NoMeta does not support secret metadata.", error.Exception.Message);
        Assert.Equal($"SetSecretMetadataNotSupported,{Sm}.SetSecretCommand", error.FullyQualifiedErrorId);
        Assert.Empty(plain.Errors);
        Assert.Empty(TestVaults.Snapshot("NoMeta")["s"].Metadata);
    }

    [Fact]
    public void GetSecretVaultDescribesTheRegisteredVaults()
    {
        TestVaults.Register("Second");

        List<SecretVaultInfo> vaults = Run("Get-SecretVault").BaseOutput.Cast<SecretVaultInfo>().ToList();
        PsResult viaProperties = Run("Get-SecretVault | Where-Object IsDefault | ForEach-Object Name");

        Assert.Equal(["Second", DefaultVault], vaults.Select(vault => vault.Name));
        Assert.Equal([false, true], vaults.Select(vault => vault.IsDefault));
        Assert.All(vaults, vault => Assert.Equal(TestVaults.SecretStoreModuleName, vault.ModuleName));
        Assert.All(vaults, vault => Assert.Empty(vault.VaultParameters));
        Assert.Equal(DefaultVault, Assert.Single(viaProperties.Output).BaseObject);
        Assert.Equal($"GetSecretVaultNotFound,{Sm}.GetSecretVaultCommand", Assert.Single(Run("Get-SecretVault -Name NoSuch").Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void RegisterSecretVaultAddsAVaultAndRefusesATakenName()
    {
        PsResult registered = Run("Register-SecretVault -Name Extra -ModuleName Microsoft.PowerShell.SecretStore -DefaultVault");
        PsResult taken = Run("Register-SecretVault -Name Extra -ModuleName Microsoft.PowerShell.SecretStore");
        PsResult clobber = Run("Register-SecretVault -Name Extra -ModuleName Microsoft.PowerShell.SecretStore -AllowClobber");

        Assert.Empty(registered.Errors);
        Assert.Equal("Extra", TestVaults.DefaultVault);
        Assert.Equal($"RegisterSecretVaultInvalidVaultName,{Sm}.RegisterSecretVaultCommand", Assert.Single(taken.Errors).FullyQualifiedErrorId);
        Assert.Empty(clobber.Errors);
        Assert.Empty(Run("Unregister-SecretVault -Name Extra").Errors);
        Assert.Null(TestVaults.DefaultVault);
        Assert.Empty(Run($"Set-SecretVaultDefault -Name {DefaultVault}").Errors);
        Assert.Equal(DefaultVault, TestVaults.DefaultVault);
    }

    [Fact]
    public void SecretNamesAreCaseInsensitive()
    {
        Run("Set-Secret -Name MySecret -Secret 'one'");
        Run("Set-Secret -Name MYSECRET -Secret 'two'");

        Assert.Equal("two", Assert.Single(Run("Get-Secret -Name mysecret -AsPlainText").Output).BaseObject);
        Assert.Single(TestVaults.Snapshot(DefaultVault));
        Assert.Single(Run("Get-SecretInfo -Name mysecret").Output);
    }

    [Fact]
    public void SecretsAreStoredAndReturnedAsCopies()
    {
        PsResult result = Run($$"""
            $s = {{Secure("original")}}
            Set-Secret -Name s -SecureStringSecret $s
            $s.Dispose()
            $a = Get-Secret -Name s
            $b = Get-Secret -Name s
            $a.Dispose()
            [object]::ReferenceEquals($a, $b)
            Get-Secret -Name s -AsPlainText
            """);

        Assert.Empty(result.Errors);
        Assert.Equal([false, "original"], result.BaseOutput);
    }

    [Fact]
    public void CountersCountCmdletCallsPerVaultAndReset()
    {
        Run("Set-Secret -Name s -Secret 'v'; Get-Secret -Name s; Get-SecretInfo; Remove-Secret -Name s -Vault TestVault");

        Assert.Equal(new VaultCallCounts(1, 1, 1, 1), TestVaults.Calls(DefaultVault));
        TestVaults.ResetCalls();
        Assert.Equal(0, TestVaults.Calls(DefaultVault).Total);
    }

    [Fact]
    public void SnapshotsCompareContentsAndHideValues()
    {
        TestVaults.WriteRaw(DefaultVault, "s", "canary-value", new Hashtable { ["kind"] = "x" });
        VaultSnapshot first = TestVaults.Snapshot(DefaultVault);
        TestVaults.WriteRaw(DefaultVault, "s", "canary-value", new Hashtable { ["kind"] = "x" });
        VaultSnapshot same = TestVaults.Snapshot(DefaultVault);
        TestVaults.WriteRaw(DefaultVault, "s", "other");

        Assert.Equal(first, same);
        Assert.NotEqual(first, TestVaults.Snapshot(DefaultVault));
        Assert.DoesNotContain("canary-value", first.ToString());
    }

    [Fact]
    public async Task SeveralRunspacesCallingAtOnceCollideAsTheRealModuleDoes()
    {
        // SecretManagement's one static runspace: calls that overlap fail with ...InvalidOperation and write
        // nothing; the others go through whole, and the state stays consistent.
        TestVaults.CallLatency = TimeSpan.FromMilliseconds(5);
        Session.Run("$null");
        using PsSession other = PsSession.Create();
        const string Writes = "foreach ($i in 1..25) { Set-Secret -Name \"{0}$i\" -Secret 'v' }";

        // Threads of their own: the thread pool may start the second only after the first is done.
        Task<PsResult>[] writers =
        [
            Task.Factory.StartNew(() => Session.Run(Writes.Replace("{0}", "a", StringComparison.Ordinal)), TaskCreationOptions.LongRunning),
            Task.Factory.StartNew(() => other.Run(Writes.Replace("{0}", "b", StringComparison.Ordinal)), TaskCreationOptions.LongRunning),
        ];
        PsResult[] results = await Task.WhenAll(writers);

        string[] failures = results.SelectMany(r => r.ErrorIds).ToArray();
        Assert.All(failures, id => Assert.Equal("SetSecretInvalidOperation,Microsoft.PowerShell.SecretManagement.SetSecretCommand", id));
        Assert.Equal(TestVaults.Collisions, failures.Length);
        Assert.True(failures.Length > 0, "two runspaces writing at once never collided");
        Assert.Equal(50 - failures.Length, TestVaults.Snapshot(DefaultVault).Count);
        Assert.Equal(50, TestVaults.Calls(DefaultVault).SetSecret + failures.Length);
    }

    [Fact]
    public void HarnessCapturesFormattedOutputAndEveryTextForCanaryChecks()
    {
        Run("Set-Secret -Name s -Secret 'canary-7f3a'");

        string table = Session.RunFormatted("Get-SecretVault");
        PsResult secure = Run("Get-Secret -Name s; Get-Secret -Name missing");
        PsResult plain = Run("Get-Secret -Name s -AsPlainText");

        Assert.Contains(DefaultVault, table);
        Assert.Contains("IsDefault", table);
        Assert.DoesNotContain("canary-7f3a", secure.AllText());
        Assert.Contains("The secret missing was not found.", secure.AllText());
        Assert.Contains("canary-7f3a", plain.AllText());
        Assert.Contains("canary-7f3a", Session.RunFormatted("Get-Secret -Name s -AsPlainText"));
    }
}
