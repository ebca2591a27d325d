<#
.SYNOPSIS
    The parts of one new SSH connection, each timed alone in this process (CPU time, after warm-up):
    key exchange math, key and known_hosts parsing, SSH.NET's connect with one key exchange or the other.
    Run by ConnectionCost.bench.ps1 in a fresh pwsh; loads the staged module's DLLs directly.
    Prints the parts (Part, CpuMsPerOp, FirstCallMs) as JSON.
#>
param([Parameter(Mandatory)] [string] $ModuleDirectory, [Parameter(Mandatory)] [string] $KeyFilePath,
    [Parameter(Mandatory)] [string] $KnownHostsPath, [Parameter(Mandatory)] [int] $Port, [int] $Count = 30)
$ErrorActionPreference = 'Stop'
$dependencies = Join-Path $ModuleDirectory 'dependencies'
foreach ($name in 'BouncyCastle.Cryptography', 'Microsoft.Extensions.Logging.Abstractions', 'Microsoft.Extensions.DependencyInjection.Abstractions', 'Renci.SshNet') {
    Add-Type -Path (Join-Path $dependencies "$name.dll")
}
$core = [System.Reflection.Assembly]::LoadFrom((Join-Path $ModuleDirectory 'KvmTime.Core.dll'))
# KvmTime's own sntrup761 and its SSH.NET key exchange are internal too: reached through reflection.
$kvmTimeSsh = [System.Reflection.Assembly]::LoadFrom((Join-Path $dependencies 'KvmTime.Ssh.dll'))
$ownKeyPair = $kvmTimeSsh.GetType('KvmTime.Ssh.Sntrup761.Sntrup761KeyPair', $true)
$generateOwn = $ownKeyPair.GetMethod('Generate', [type[]]@())
$installOwn = $kvmTimeSsh.GetType('KvmTime.Ssh.Sntrup761X25519KeyExchange', $true).GetMethod('Install')
# KnownHosts is internal (only models and the session are public): its static loaders through reflection.
$knownHosts = $core.GetType('KvmTime.Targets.KnownHosts', $true)
$loadKnownHosts = $knownHosts.GetMethod('Load', [type[]]@([string]))
$loadKnownHostsCached = $knownHosts.GetMethod('LoadCached', [type[]]@([string]))
$process = [System.Diagnostics.Process]::GetCurrentProcess()
$parts = [System.Collections.Generic.List[object]]::new()
function Get-CpuMs { $process.Refresh(); $process.TotalProcessorTime.TotalMilliseconds }

# CPU per operation, steady state: the first call (JIT, type loading) is reported apart, then 40 calls
# and a pause let the runtime recompile the hot code (tier 1 after 30 calls) before the timed calls.
function Measure-Part([string] $Part, [scriptblock] $Operation, [int] $Times = $Count) {
    $start = Get-CpuMs; $null = & $Operation; $first = (Get-CpuMs) - $start
    for ($i = 0; $i -lt 40; $i++) { $null = & $Operation }
    Start-Sleep -Milliseconds 500
    $start = Get-CpuMs
    for ($i = 0; $i -lt $Times; $i++) { $null = & $Operation }
    $parts.Add([pscustomobject]@{ Part = $Part; CpuMsPerOp = ((Get-CpuMs) - $start) / $Times; FirstCallMs = $first })
}

$random = [Org.BouncyCastle.Security.SecureRandom]::new()
$sntrup = [Org.BouncyCastle.Pqc.Crypto.NtruPrime.SNtruPrimeParameters]::sntrup761
$mlkem = [Org.BouncyCastle.Crypto.Parameters.MLKemParameters]::ml_kem_768

# The client's share of sntrup761: a key pair, then decapsulating the server's ciphertext.
$generator = [Org.BouncyCastle.Pqc.Crypto.NtruPrime.SNtruPrimeKeyPairGenerator]::new()
$generator.Init([Org.BouncyCastle.Pqc.Crypto.NtruPrime.SNtruPrimeKeyGenerationParameters]::new($random, $sntrup))
$sntrupPair = $generator.GenerateKeyPair()
$sntrupCipher = [Org.BouncyCastle.Pqc.Crypto.NtruPrime.SNtruPrimeKemGenerator]::new($random).GenerateEncapsulated($sntrupPair.Public).GetEncapsulation()
Measure-Part 'sntrup761 key pair (BouncyCastle)' { $generator.GenerateKeyPair() }
$ownPair = $generateOwn.Invoke($null, @())
$ownCipher = [Org.BouncyCastle.Pqc.Crypto.NtruPrime.SNtruPrimeKemGenerator]::new($random).GenerateEncapsulated(
    [Org.BouncyCastle.Pqc.Crypto.NtruPrime.SNtruPrimePublicKeyParameters]::new($sntrup, $ownPair.PublicKey)).GetEncapsulation()
Measure-Part 'sntrup761 key pair (KvmTime)' { $generateOwn.Invoke($null, @()) }
Measure-Part 'sntrup761 decapsulation (KvmTime)' { $ownPair.Decapsulate($ownCipher) }
Measure-Part 'sntrup761 decapsulation (BouncyCastle)' { [Org.BouncyCastle.Pqc.Crypto.NtruPrime.SNtruPrimeKemExtractor]::new($sntrupPair.Private).ExtractSecret($sntrupCipher) }

# The client's share of ML-KEM-768: a key pair, then decapsulation.
$mlkemGenerator = [Org.BouncyCastle.Crypto.Generators.MLKemKeyPairGenerator]::new()
$mlkemGenerator.Init([Org.BouncyCastle.Crypto.Parameters.MLKemKeyGenerationParameters]::new($random, $mlkem))
$mlkemPair = $mlkemGenerator.GenerateKeyPair()
$encapsulator = [Org.BouncyCastle.Crypto.Kems.MLKemEncapsulator]::new($mlkem); $encapsulator.Init($mlkemPair.Public)
$mlkemCipher = [byte[]]::new($encapsulator.EncapsulationLength); $secret = [byte[]]::new($encapsulator.SecretLength)
$encapsulator.Encapsulate($mlkemCipher, 0, $mlkemCipher.Length, $secret, 0, $secret.Length)
Measure-Part 'ML-KEM-768 key pair + decapsulation (BouncyCastle)' {
    $pair = $mlkemGenerator.GenerateKeyPair()
    $decapsulator = [Org.BouncyCastle.Crypto.Kems.MLKemDecapsulator]::new($mlkem); $decapsulator.Init($mlkemPair.Private)
    $decapsulator.Decapsulate($mlkemCipher, 0, $mlkemCipher.Length, $secret, 0, $secret.Length)
    $pair
}
Measure-Part 'X25519 key pair + agreement (BouncyCastle)' {
    $mine = [Org.BouncyCastle.Crypto.Parameters.X25519PrivateKeyParameters]::new($random)
    $shared = [byte[]]::new(32); $mine.GenerateSecret([Org.BouncyCastle.Crypto.Parameters.X25519PrivateKeyParameters]::new($random).GeneratePublicKey(), $shared, 0)
}
Measure-Part 'private key file parse (ed25519)' { [Renci.SshNet.PrivateKeyFile]::new($KeyFilePath) }
Measure-Part "known_hosts parse ($(@(Get-Content $KnownHostsPath).Count) lines) + lookup" { $loadKnownHosts.Invoke($null, @($KnownHostsPath)).KnownKeyTypes('127.0.0.1', $Port) }
Measure-Part 'known_hosts unchanged: cached + lookup' { $loadKnownHostsCached.Invoke($null, @($KnownHostsPath)).KnownKeyTypes('127.0.0.1', $Port) }

# SSH.NET alone (no KvmTime): connect, key exchange, host key, login, disconnect.
$key = [Renci.SshNet.PrivateKeyFile]::new($KeyFilePath)
function Connect-Raw([string] $KeyExchange, [string] $Command, [switch] $OwnSntrup) {
    $methods = [Renci.SshNet.AuthenticationMethod[]]@([Renci.SshNet.PrivateKeyAuthenticationMethod]::new('root', [Renci.SshNet.IPrivateKeySource[]]@($key)))
    $info = [Renci.SshNet.ConnectionInfo]::new('127.0.0.1', $Port, 'root', $methods)
    foreach ($name in @($info.KeyExchangeAlgorithms.Keys)) { if ($name -ne $KeyExchange) { $null = $info.KeyExchangeAlgorithms.Remove($name) } }
    foreach ($name in @($info.HostKeyAlgorithms.Keys)) { if ($name -ne 'ssh-ed25519') { $null = $info.HostKeyAlgorithms.Remove($name) } }
    if ($OwnSntrup) { $null = $installOwn.Invoke($null, @($info)) }
    # No HostKeyReceived handler: this measures the library; KvmTime's own path checks known_hosts.
    $client = [Renci.SshNet.SshClient]::new($info)
    try { $client.Connect(); if ($Command) { $null = $client.RunCommand($Command).Result } } finally { $client.Dispose() }
}
foreach ($kex in 'sntrup761x25519-sha512', 'curve25519-sha256') {
    Measure-Part "SSH.NET connect + login + close, $kex" { Connect-Raw $kex $null } -Times 15
}
Measure-Part 'SSH.NET connect + login + close, sntrup761x25519-sha512 with KvmTime''s sntrup761' { Connect-Raw 'sntrup761x25519-sha512' $null -OwnSntrup } -Times 15
Measure-Part 'SSH.NET connect + login + one exec + close, curve25519-sha256' { Connect-Raw 'curve25519-sha256' 'cat /proc/cmdline' } -Times 15
$parts | ConvertTo-Json -Compress
