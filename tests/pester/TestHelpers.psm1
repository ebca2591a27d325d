# Shared Pester fixtures: a real sshd on loopback, with its own host keys, client key, test user
# and known_hosts. Used by the SSH, session and remoting tests.

$script:PwshDll = Join-Path $PSHOME 'pwsh.dll'

# Distinct free ports: every listener stays open until all are picked, so none repeats.
function Get-FreeTcpPort([int] $Count = 1) {
    $listeners = @(1..$Count | ForEach-Object {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $listener
    })
    try { $listeners | ForEach-Object { $_.LocalEndpoint.Port } } finally { $listeners | ForEach-Object { $_.Stop() } }
}

function Invoke-Checked([string] $What, [scriptblock] $Command) {
    $output = & $Command 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$What failed ($LASTEXITCODE): $output" }
    $output
}

function Get-PublicKeyLine([string] $PublicKeyPath) {
    $type, $blob = (Get-Content $PublicKeyPath -Raw).Trim() -split '\s+' | Select-Object -First 2
    "$type $blob"
}

<#
.SYNOPSIS
    Starts sshd on 127.0.0.1 with one or more ports, a root key login, a password login for a
    non-root sudo user, and the PowerShell remoting subsystem. Returns the fixture.
#>
function Start-TestSshd {
    # -ExtraConfig: sshd_config lines for one test (SetEnv for a session environment, 'KexAlgorithms
    # curve25519-sha256'); never a raised limit.
    param([int] $PortCount = 1, [string[]] $ExtraConfig = @())
    if (-not (Test-Path /usr/sbin/sshd)) { throw 'sshd is not installed: run tests/install-test-deps.sh (build.ps1 -Task Test does).' }
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "kvmtime-sshd-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $null = New-Item -ItemType Directory $dir
    foreach ($type in 'ed25519', 'ecdsa', 'rsa') {
        Invoke-Checked "ssh-keygen $type" { ssh-keygen -q -t $type -N '' -C "host-$type" -f (Join-Path $dir "host_$type") }
    }
    Invoke-Checked 'ssh-keygen client' { ssh-keygen -q -t ed25519 -N '' -C kvmtime-test -f (Join-Path $dir 'client_ed25519') }
    Copy-Item (Join-Path $dir 'client_ed25519.pub') (Join-Path $dir 'authorized_keys')

    # A throwaway user for password logins and sudo, removed by Stop-TestSshd.
    $account = New-TestUser -Rule 'ALL=(ALL) ALL' -Directory $dir
    # sshd listens on at most 16 sockets per process, so larger fixtures run several.
    $ports = @(Get-FreeTcpPort -Count $PortCount)
    $null = New-Item -ItemType Directory -Force /run/sshd
    $pids = @()
    $groups = [System.Linq.Enumerable]::Chunk([int[]]$ports, 15)
    $index = 0
    foreach ($group in $groups) {
        $index++
        $config = @(
            'ListenAddress 127.0.0.1'
            $group | ForEach-Object { "Port $_" }
            "HostKey $dir/host_ed25519"
            "HostKey $dir/host_ecdsa"
            "HostKey $dir/host_rsa"
            "PidFile $dir/sshd-$index.pid"
            "AuthorizedKeysFile $dir/authorized_keys"
            'PermitRootLogin prohibit-password'
            'PasswordAuthentication yes'
            'KbdInteractiveAuthentication no'
            'UsePAM no'
            'StrictModes no'
            # Stock MaxStartups (10:30:100) and MaxSessions (10): never raised to make a test pass.
            'LogLevel VERBOSE'
            "Subsystem powershell /usr/bin/dotnet $script:PwshDll -sshs -NoLogo -NoProfile"
            'Subsystem sftp internal-sftp'
            $ExtraConfig
        )
        $configPath = Join-Path $dir "sshd_config_$index"
        Set-Content -Path $configPath -Value $config
        Invoke-Checked 'sshd -t' { /usr/sbin/sshd -t -f $configPath }
        Invoke-Checked 'sshd' { /usr/sbin/sshd -f $configPath -E (Join-Path $dir 'sshd.log') }
    }

    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    foreach ($i in 1..$index) {
        # sshd forks before its child writes the pid file.
        $pidFile = Join-Path $dir "sshd-$i.pid"
        while (-not (Test-Path $pidFile) -or -not (Get-Content $pidFile)) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "sshd did not write $pidFile" }
            Start-Sleep -Milliseconds 50
        }
        $pids += [int](Get-Content $pidFile)
    }

    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    foreach ($port in $ports) {
        while ($true) {
            $client = [System.Net.Sockets.TcpClient]::new()
            try { $client.Connect('127.0.0.1', $port); break } catch { if ([DateTime]::UtcNow -gt $deadline) { throw "sshd did not listen on $port" }; Start-Sleep -Milliseconds 50 } finally { $client.Dispose() }
        }
    }

    $hostKey = Get-PublicKeyLine (Join-Path $dir 'host_ed25519.pub')
    $knownHosts = Join-Path $dir 'known_hosts'
    Set-Content -Path $knownHosts -Value ($ports | ForEach-Object { "[127.0.0.1]:$_ $hostKey" })
    & chmod 600 (Join-Path $dir 'client_ed25519')

    [pscustomobject]@{
        Directory      = $dir
        Ports          = $ports
        Port           = $ports[0]
        KeyFilePath    = Join-Path $dir 'client_ed25519'
        KnownHostsPath = $knownHosts
        HostKeyLine    = $hostKey
        HostKeyPath    = Join-Path $dir 'host_ed25519.pub'
        UserName       = $account.UserName
        Password       = $account.Password
        Account        = $account
        Pids           = $pids
        LogPath        = Join-Path $dir 'sshd.log'
    }
}

function Stop-TestSshd([pscustomobject] $Fixture) {
    if (-not $Fixture) { return }
    $Fixture.Pids | ForEach-Object { Stop-Process -Id $_ -ErrorAction Ignore }
    Remove-TestUser $Fixture.Account
    Remove-Item -Recurse -Force $Fixture.Directory -ErrorAction Ignore
}

<#
.SYNOPSIS
    Creates a throwaway user (ktt + 8 hex digits) with a password and a sudoers drop-in holding
    -Rule and any per-user -Defaults, checked with visudo before it is installed. Its password
    is a canary: if any byte of it ever runs as a shell command, it creates CanaryPath.
#>
function New-TestUser {
    param([string] $Rule = 'ALL=(ALL) ALL', [string[]] $Defaults = @(), [string] $Directory = [System.IO.Path]::GetTempPath())
    $user = 'ktt' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    $canary = "/tmp/kvmtime-canary-$user"
    $password = "Kt-$([guid]::NewGuid().ToString('N').Substring(0, 12));touch $canary;"
    Invoke-Checked 'useradd' { useradd --create-home --shell /bin/sh $user }
    "$($user):$password" | chpasswd
    if ($LASTEXITCODE -ne 0) { throw 'chpasswd failed' }
    $sudoLog = Join-Path $Directory "sudo-$user.log"
    $lines = @("Defaults:$user logfile=$sudoLog") + ($Defaults | ForEach-Object { "Defaults:$user $_" }) + "$user $Rule"
    $staged = Join-Path $Directory "sudoers-$user"
    Set-Content -Path $staged -Value $lines
    Invoke-Checked 'visudo -c' { visudo -cf $staged }
    $dropIn = "/etc/sudoers.d/$user"
    Move-Item $staged $dropIn
    & chmod 440 $dropIn
    [pscustomobject]@{ UserName = $user; Password = $password; CanaryPath = $canary; SudoersPath = $dropIn; SudoLogPath = $sudoLog }
}

function Remove-TestUser([pscustomobject] $Account) {
    if (-not $Account) { return }
    Remove-Item $Account.SudoersPath, $Account.CanaryPath, $Account.SudoLogPath -Force -ErrorAction Ignore
    & pkill -KILL -u $Account.UserName 2>$null
    & userdel --remove $Account.UserName 2>$null
    & rm -rf "/var/lib/sudo/ts/$($Account.UserName)"
}

# PowerShell remoting over SSH to the fixture's sshd (its Subsystem powershell), as root with the fixture's key.
function New-TestPSSession([pscustomobject] $Fixture) {
    New-PSSession -HostName 127.0.0.1 -Port $Fixture.Port -UserName root -KeyFilePath $Fixture.KeyFilePath `
        -Options @{ StrictHostKeyChecking = 'yes'; UserKnownHostsFile = $Fixture.KnownHostsPath; BatchMode = 'yes' }
}

function Invoke-ChildPwsh([string] $Command) {
    & dotnet $script:PwshDll -NoProfile -NonInteractive -Command $Command
}

# The lab fixture written by tests/lab/lab.sh start. Null when the lab was skipped (no root on a
# developer machine); an error when it should be there, so CI never skips the lab silently.
function Get-LabFixture {
    $labDir = if ($env:KVMTIME_LAB_DIR) { $env:KVMTIME_LAB_DIR } else { Join-Path $PSScriptRoot '../../out/lab' }
    $path = Join-Path $labDir 'lab.json'
    if (Test-Path $path) { return Get-Content -Raw $path | ConvertFrom-Json }
    if ($env:KVMTIME_LAB_SKIP) { return $null }
    throw "The lab is not running ($path is missing). Start it with: dotnet pwsh ./build.ps1 -Task Lab -Action Start"
}

# Splats the SSH parameters for a lab guest.
function Get-LabSsh([pscustomobject] $Guest) {
    @{
        ComputerName   = "$($Guest.SshHost):$($Guest.SshPort)"
        UserName       = $Guest.UserName
        KeyFilePath    = $Guest.KeyFilePath
        KnownHostsPath = $Guest.KnownHostsPath
        ConnectTimeout = 30
        CommandTimeout = 120
    }
}

function Invoke-Lab([string[]] $Arguments) {
    $output = & bash (Join-Path $PSScriptRoot '../lab/lab.sh') @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "lab.sh $Arguments failed: $($output | Out-String)" }
    $output
}

Export-ModuleMember -Function Start-TestSshd, Stop-TestSshd, New-TestPSSession, New-TestUser, Remove-TestUser, Get-FreeTcpPort, Get-PublicKeyLine, Invoke-ChildPwsh, Get-LabFixture, Get-LabSsh, Invoke-Lab
