<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <source>No virtual machine is running on this connection.</source>
        <translation>此连接上没有正在运行的虚拟机。</translation>
    </message>
    <message numerus="yes">
        <source>Stopped after {0} of %n screenshot(s).</source>
        <translation>
            <numerusform>已停止：共 %n 个屏幕截图，已完成 {0} 个。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n screenshot(s).</source>
        <translation>
            <numerusform>已保存 %n 个屏幕截图。</numerusform>
        </translation>
    </message>
    <message>
        <source>No screenshot was saved.</source>
        <translation>没有保存任何屏幕截图。</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n screenshot(s); {0} failed.</source>
        <translation>
            <numerusform>已保存 %n 个屏幕截图；{0} 个失败。</numerusform>
        </translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>The virtual machine is not running.</source>
        <translation>虚拟机未运行。</translation>
    </message>
    <message>
        <source>The connection to the host is not open.</source>
        <translation>到主机的连接未打开。</translation>
    </message>
    <message>
        <source>The virtual machine no longer exists.</source>
        <translation>虚拟机已不存在。</translation>
    </message>
    <message>
        <source>Another client is using this console.</source>
        <translation>另一个客户端正在使用此控制台。</translation>
    </message>
    <message>
        <source>This virtual machine has no serial console.</source>
        <translation>此虚拟机没有串行控制台。</translation>
    </message>
    <message>
        <source>This host cannot open serial consoles for its virtual machines.</source>
        <translation>此主机无法为其虚拟机打开串行控制台。</translation>
    </message>
    <message>
        <source>The console closed.</source>
        <translation>控制台已关闭。</translation>
    </message>
    <message>
        <source>{0}.</source>
        <comment>a sentence built from parts, given its full stop</comment>
        <translation>{0}。</translation>
    </message>
    <message>
        <source>{0} {1}</source>
        <comment>two sentences one after the other</comment>
        <translation>{0}{1}</translation>
    </message>
    <message>
        <source>{0}; {1}</source>
        <comment>items of a list inside a sentence</comment>
        <translation>{0}；{1}</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Shutting Down</source>
        <translation>正在关机</translation>
    </message>
    <message>
        <source>Shutoff</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Crashed</source>
        <translation>已崩溃</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>已挂起</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>Saved to file</source>
        <translation>已保存到文件</translation>
    </message>
    <message>
        <source>The libvirt service is not running on this host.</source>
        <translation>此主机上的 libvirt 服务未运行。</translation>
    </message>
    <message>
        <source>Permission denied by the libvirt service.</source>
        <translation>libvirt 服务拒绝了访问。</translation>
    </message>
    <message>
        <source>This kind of connection is not supported here.</source>
        <translation>此处不支持这种连接。</translation>
    </message>
    <message>
        <source>The connection address is not valid.</source>
        <translation>连接地址无效。</translation>
    </message>
    <message>
        <source>Not opened: this address makes libvirt run a program, read a file or skip host checks.</source>
        <translation>未打开：此地址会让 libvirt 运行程序、读取文件或跳过主机校验。</translation>
    </message>
    <message>
        <source>The host name could not be found.</source>
        <translation>找不到该主机名。</translation>
    </message>
    <message>
        <source>The host&apos;s SSH key could not be verified.</source>
        <translation>无法验证主机的 SSH 密钥。</translation>
    </message>
    <message>
        <source>The host does not answer.</source>
        <translation>主机没有响应。</translation>
    </message>
    <message>
        <source>The host has no program that links SSH to libvirt (virt-ssh-helper or nc).</source>
        <translation>主机上没有将 SSH 连接到 libvirt 的程序（virt-ssh-helper 或 nc）。</translation>
    </message>
    <message>
        <source>Authentication failed.</source>
        <translation>身份验证失败。</translation>
    </message>
    <message>
        <source>Authentication was cancelled.</source>
        <translation>身份验证已取消。</translation>
    </message>
    <message>
        <source>The connection to the host was lost.</source>
        <translation>到主机的连接已断开。</translation>
    </message>
    <message>
        <source>The destination host stopped answering.</source>
        <translation>目标主机已停止响应。</translation>
    </message>
    <message>
        <source>The connection is not open.</source>
        <translation>连接未打开。</translation>
    </message>
    <message>
        <source>The virtual machine is not in a state that allows this.</source>
        <translation>虚拟机当前的状态不允许此操作。</translation>
    </message>
    <message>
        <source>The hypervisor does not support this.</source>
        <translation>虚拟机管理程序不支持此操作。</translation>
    </message>
    <message>
        <source>The host took too long to answer.</source>
        <translation>主机响应时间过长。</translation>
    </message>
    <message>
        <source>libvirt reported an error.</source>
        <translation>libvirt 报告了一个错误。</translation>
    </message>
    <message>
        <source>Start it (for example: sudo systemctl start libvirtd), or use the user session (qemu:///session).</source>
        <translation>请启动该服务（例如：sudo systemctl start libvirtd），或使用用户会话（qemu:///session）。</translation>
    </message>
    <message>
        <source>Join the libvirt group (sudo usermod -aG libvirt $USER, then log in again), or use the user session (qemu:///session).</source>
        <translation>请加入 libvirt 组（sudo usermod -aG libvirt $USER，然后重新登录），或使用用户会话（qemu:///session）。</translation>
    </message>
    <message>
        <source>Check the URI, or install the libvirt driver it needs.</source>
        <translation>请检查 URI，或安装它所需的 libvirt 驱动程序。</translation>
    </message>
    <message>
        <source>Check the spelling, for example qemu:///system.</source>
        <translation>请检查拼写，例如 qemu:///system。</translation>
    </message>
    <message>
        <source>Choose Connect to see what it does; you can accept it for this start, or for every start.</source>
        <translation>选择“连接”查看它会做什么；您可以只在本次启动时接受它，也可以每次启动都接受。</translation>
    </message>
    <message>
        <source>Check the host name and your DNS settings.</source>
        <translation>请检查主机名和 DNS 设置。</translation>
    </message>
    <message>
        <source>The key is unknown or has changed. Connect once with ssh in a terminal to check its fingerprint; if it changed unexpectedly, someone may be intercepting the link.</source>
        <translation>该密钥未知或已更改。请先在终端中用 ssh 连接一次以核对其指纹；如果它意外更改，可能有人正在截获此链接。</translation>
    </message>
    <message>
        <source>Check that the host is up and reachable.</source>
        <translation>请检查主机是否已启动且可以访问。</translation>
    </message>
    <message>
        <source>Install libvirt&apos;s client tools on the host (virt-ssh-helper comes with the libvirt daemon packages; nc with netcat-openbsd), or choose the proxy the host has in the connection&apos;s advanced field (proxy=native or proxy=netcat).</source>
        <translation>请在主机上安装 libvirt 的客户端工具（virt-ssh-helper 随 libvirt 守护进程软件包提供；nc 随 netcat-openbsd 提供），或在连接的高级字段中选择主机已有的代理（proxy=native 或 proxy=netcat）。</translation>
    </message>
    <message>
        <source>kvmdesk keeps trying. A slow link or an SSH prompt nobody answered can cause this.</source>
        <translation>kvmdesk 会继续尝试。链路缓慢或无人应答的 SSH 提示都可能导致此问题。</translation>
    </message>
    <message>
        <source>kvmdesk reconnects by itself when the host is back.</source>
        <translation>主机恢复后，kvmdesk 会自动重新连接。</translation>
    </message>
    <message>
        <source>The machine runs on at the source. Migrate again when the destination is back.</source>
        <translation>虚拟机仍在源主机上运行。目标主机恢复后请重新迁移。</translation>
    </message>
    <message>
        <source>Another program may have deleted it.</source>
        <translation>可能已被其他程序删除。</translation>
    </message>
    <message>
        <source>Demo host (test driver)</source>
        <translation>演示主机（测试驱动程序）</translation>
    </message>
    <message>
        <source>QEMU/KVM</source>
        <translation>QEMU/KVM</translation>
    </message>
    <message>
        <source>QEMU/KVM User session</source>
        <translation>QEMU/KVM 用户会话</translation>
    </message>
    <message>
        <source>Test: {0}</source>
        <translation>测试：{0}</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Reconnecting in {0} s</source>
        <translation>{0} 秒后重新连接</translation>
    </message>
    <message>
        <source>Reconnecting in {0} s — {1}</source>
        <translation>{0} 秒后重新连接 — {1}</translation>
    </message>
    <message>
        <source>Disconnected: {0}</source>
        <translation>已断开连接：{0}</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>已断开连接</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Host Group</source>
        <translation>主机组</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Operating System</source>
        <translation>操作系统</translation>
    </message>
    <message>
        <source>Type a name.</source>
        <translation>请输入名称。</translation>
    </message>
    <message numerus="yes">
        <source>A name has at most %n character(s).</source>
        <translation>
            <numerusform>名称最多 %n 个字符。</numerusform>
        </translation>
    </message>
    <message>
        <source>A name cannot hold invisible characters or characters that change text direction.</source>
        <translation>名称不能包含不可见字符或改变文字方向的字符。</translation>
    </message>
    <message numerus="yes">
        <source>The search is longer than %n character(s).</source>
        <translation>
            <numerusform>搜索内容超过 %n 个字符。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>At most %n view(s) can be saved.</source>
        <translation>
            <numerusform>最多可保存 %n 个视图。</numerusform>
        </translation>
    </message>
    <message>
        <source>vCPUs</source>
        <translation>虚拟 CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>CPU %</source>
        <translation>CPU %</translation>
    </message>
    <message>
        <source>IP Address</source>
        <translation>IP 地址</translation>
    </message>
    <message>
        <source>Memory Use</source>
        <translation>内存占用</translation>
    </message>
    <message>
        <source>Disk I/O</source>
        <translation>磁盘 I/O</translation>
    </message>
    <message>
        <source>Network I/O</source>
        <translation>网络 I/O</translation>
    </message>
    <message>
        <source>{0}
Tags: {1}</source>
        <translation>{0}
标签：{1}</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Show libvirt&apos;s message</source>
        <translation>显示 libvirt 的消息</translation>
    </message>
    <message>
        <source>The port must be a number from 1 to 65535.</source>
        <translation>端口必须是 1 到 65535 之间的数字。</translation>
    </message>
    <message>
        <source>The file path cannot contain control characters.</source>
        <translation>文件路径不能包含控制字符。</translation>
    </message>
    <message>
        <source>The file path must be absolute, for example /home/me/host.xml.</source>
        <translation>文件路径必须是绝对路径，例如 /home/me/host.xml。</translation>
    </message>
    <message>
        <source>Enter a URI, for example qemu:///system.</source>
        <translation>请输入 URI，例如 qemu:///system。</translation>
    </message>
    <message>
        <source>Enter the name or address of the remote host.</source>
        <translation>请输入远程主机的名称或地址。</translation>
    </message>
    <message>
        <source>booted</source>
        <translation>已引导</translation>
    </message>
    <message>
        <source>migrated</source>
        <translation>已迁移</translation>
    </message>
    <message>
        <source>restored</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>from snapshot</source>
        <translation>从快照恢复</translation>
    </message>
    <message>
        <source>unpaused</source>
        <translation>已取消暂停</translation>
    </message>
    <message>
        <source>migration cancelled</source>
        <translation>迁移已取消</translation>
    </message>
    <message>
        <source>save cancelled</source>
        <translation>保存已取消</translation>
    </message>
    <message>
        <source>woken up</source>
        <translation>已唤醒</translation>
    </message>
    <message>
        <source>crashed</source>
        <translation>已崩溃</translation>
    </message>
    <message>
        <source>post-copy migration</source>
        <translation>后复制迁移</translation>
    </message>
    <message>
        <source>post-copy migration failed</source>
        <translation>后复制迁移失败</translation>
    </message>
    <message>
        <source>by the user</source>
        <translation>由用户执行</translation>
    </message>
    <message>
        <source>migrating</source>
        <translation>正在迁移</translation>
    </message>
    <message>
        <source>saving</source>
        <translation>正在保存</translation>
    </message>
    <message>
        <source>dumping core</source>
        <translation>正在转储内核</translation>
    </message>
    <message>
        <source>I/O error</source>
        <translation>I/O 错误</translation>
    </message>
    <message>
        <source>watchdog</source>
        <translation>看门狗</translation>
    </message>
    <message>
        <source>shutting down</source>
        <translation>正在关机</translation>
    </message>
    <message>
        <source>taking a snapshot</source>
        <translation>正在创建快照</translation>
    </message>
    <message>
        <source>guest crashed</source>
        <translation>客户机已崩溃</translation>
    </message>
    <message>
        <source>starting up</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <source>management error</source>
        <translation>管理错误</translation>
    </message>
    <message>
        <source>shut down</source>
        <translation>已关机</translation>
    </message>
    <message>
        <source>forced off</source>
        <translation>已强制关闭</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>failed to start</source>
        <translation>启动失败</translation>
    </message>
    <message>
        <source>stopped by libvirt</source>
        <translation>已被 libvirt 停止</translation>
    </message>
    <message>
        <source>requested by the user</source>
        <translation>用户请求</translation>
    </message>
    <message>
        <source>guest panicked</source>
        <translation>客户机发生内核错误</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>磁盘</translation>
    </message>
    <message>
        <source>NIC</source>
        <translation>网卡</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>声卡</translation>
    </message>
    <message>
        <source>Serial port</source>
        <translation>串口</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>Parallel port</source>
        <translation>并口</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入设备</translation>
    </message>
    <message>
        <source>Host device</source>
        <translation>主机设备</translation>
    </message>
    <message>
        <source>USB redirection</source>
        <translation>USB 重定向</translation>
    </message>
    <message>
        <source>Watchdog</source>
        <translation>看门狗</translation>
    </message>
    <message>
        <source>Filesystem share</source>
        <translation>文件系统共享</translation>
    </message>
    <message>
        <source>Controller</source>
        <translation>控制器</translation>
    </message>
    <message>
        <source>Emulator</source>
        <translation>模拟器</translation>
    </message>
    <message>
        <source>Smartcard</source>
        <translation>智能卡</translation>
    </message>
    <message>
        <source>Panic notifier</source>
        <translation>崩溃通知设备</translation>
    </message>
    <message>
        <source>VSOCK</source>
        <translation>VSOCK</translation>
    </message>
    <message>
        <source>IOMMU</source>
        <translation>IOMMU</translation>
    </message>
    <message>
        <source>Shared memory device</source>
        <translation>共享内存设备</translation>
    </message>
    <message>
        <source>Memory device</source>
        <translation>内存设备</translation>
    </message>
    <message>
        <source>Hub</source>
        <translation>集线器</translation>
    </message>
    <message>
        <source>Lease</source>
        <translation>租约</translation>
    </message>
    <message>
        <source>Audio backend</source>
        <translation>音频后端</translation>
    </message>
    <message>
        <source>CD-ROM</source>
        <translation>光驱（CD-ROM）</translation>
    </message>
    <message>
        <source>Floppy</source>
        <translation>软盘</translation>
    </message>
    <message>
        <source>LUN</source>
        <translation>LUN</translation>
    </message>
    <message>
        <source>Virtual network</source>
        <translation>虚拟网络</translation>
    </message>
    <message>
        <source>Bridge</source>
        <translation>网桥</translation>
    </message>
    <message>
        <source>Macvtap</source>
        <translation>Macvtap</translation>
    </message>
    <message>
        <source>Usermode networking</source>
        <translation>用户模式网络</translation>
    </message>
    <message>
        <source>vhost-user</source>
        <translation>vhost-user</translation>
    </message>
    <message>
        <source>PCI passthrough</source>
        <translation>PCI 直通</translation>
    </message>
    <message>
        <source>DHCP lease</source>
        <translation>DHCP 租约</translation>
    </message>
    <message>
        <source>guest agent</source>
        <translation>客户机代理</translation>
    </message>
    <message>
        <source>ARP table</source>
        <translation>ARP 表</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>描述：</translation>
    </message>
    <message>
        <source>UUID:</source>
        <translation>UUID：</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Autostart:</source>
        <translation>自动启动：</translation>
    </message>
    <message>
        <source>Definition:</source>
        <translation>定义：</translation>
    </message>
    <message>
        <source>Hypervisor</source>
        <translation>虚拟机管理程序</translation>
    </message>
    <message>
        <source>Hypervisor:</source>
        <translation>虚拟机管理程序：</translation>
    </message>
    <message>
        <source>OS type:</source>
        <translation>操作系统类型：</translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation>架构：</translation>
    </message>
    <message>
        <source>Machine:</source>
        <translation>机器类型：</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>资源</translation>
    </message>
    <message>
        <source>vCPUs:</source>
        <translation>虚拟 CPU：</translation>
    </message>
    <message>
        <source>Memory:</source>
        <translation>内存：</translation>
    </message>
    <message>
        <source>Disks</source>
        <translation>磁盘</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>源</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>No disks</source>
        <translation>没有磁盘</translation>
    </message>
    <message>
        <source>Network interfaces</source>
        <translation>网络接口</translation>
    </message>
    <message>
        <source>MAC address</source>
        <translation>MAC 地址</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>IP addresses</source>
        <translation>IP 地址</translation>
    </message>
    <message>
        <source>No network interfaces</source>
        <translation>没有网络接口</translation>
    </message>
    <message>
        <source>Persistent</source>
        <translation>持久</translation>
    </message>
    <message>
        <source>Transient (gone once it stops)</source>
        <translation>临时（停止后即消失）</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>shareable</source>
        <translation>可共享</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>Capture All Running Virtual Machines</source>
        <translation>为所有正在运行的虚拟机截图</translation>
    </message>
    <message>
        <source>Save Screenshot</source>
        <translation>保存屏幕截图</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>The screenshot was not saved: {0}</source>
        <translation>屏幕截图未保存：{0}</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Capturing in {0} s…</source>
        <translation>{0} 秒后截图…</translation>
    </message>
    <message>
        <source>Capturing…</source>
        <translation>正在截图…</translation>
    </message>
    <message>
        <source>Capture</source>
        <translation>截图</translation>
    </message>
    <message>
        <source>Listing the running virtual machines…</source>
        <translation>正在列出正在运行的虚拟机…</translation>
    </message>
    <message>
        <source>Capture All</source>
        <translation>全部截图</translation>
    </message>
    <message>
        <source>Capturing {0} ({1} of {2})…</source>
        <translation>正在为 {0} 截图（第 {1} 个，共 {2} 个）…</translation>
    </message>
    <message>
        <source>Type Text</source>
        <translation>输入文本</translation>
    </message>
    <message>
        <source>{0} declarations are not allowed</source>
        <translation>不允许 {0} 声明</translation>
    </message>
    <message>
        <source>the root element must be &lt;domain&gt;, not &lt;{0}&gt;</source>
        <translation>根元素必须是 &lt;domain&gt;，而不是 &lt;{0}&gt;</translation>
    </message>
    <message>
        <source>line {0}, column {1}: {2}</source>
        <translation>第 {0} 行，第 {1} 列：{2}</translation>
    </message>
    <message>
        <source>Unapplied XML Changes</source>
        <translation>未应用的 XML 更改</translation>
    </message>
    <message>
        <source>Some XML changes are not applied.</source>
        <translation>有些 XML 更改尚未应用。</translation>
    </message>
    <message>
        <source>Edited and not applied: {0}.
Discard these changes and quit?</source>
        <translation>已编辑但未应用：{0}。
放弃这些更改并退出吗？</translation>
    </message>
    <message>
        <source>&amp;Discard Changes</source>
        <translation>放弃更改(&amp;D)</translation>
    </message>
    <message>
        <source>The definition changed, and kvmdesk cannot tell whether it is your edit.</source>
        <translation>定义已更改，kvmdesk 无法判断这是否是您的编辑。</translation>
    </message>
    <message>
        <source>The connection was lost while your edit was being saved. Compare what is stored now with your edit: reload to keep what is stored, or overwrite it with your edit.</source>
        <translation>保存您的编辑时连接断开了。请将现在存储的内容与您的编辑进行比较：重新加载以保留存储的内容，或用您的编辑覆盖它。</translation>
    </message>
    <message>
        <source>Another client changed it. Reload to see the new definition (your edits are lost), or overwrite it with your edits. The shaded lines differ.</source>
        <translation>另一个客户端更改了它。重新加载以查看新的定义（您的编辑将丢失），或用您的编辑覆盖它。有阴影的行是不同之处。</translation>
    </message>
    <message>
        <source>Definition Changed</source>
        <translation>定义已更改</translation>
    </message>
    <message>
        <source>Stored now</source>
        <translation>现在存储的内容</translation>
    </message>
    <message>
        <source>Your edit</source>
        <translation>您的编辑</translation>
    </message>
    <message>
        <source>The virtual machine&apos;s definition changed since it was loaded.</source>
        <translation>虚拟机的定义在加载后已被更改。</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>重新加载(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Overwrite</source>
        <translation>覆盖(&amp;O)</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>WARN</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Usable, with warnings</source>
        <translation>可用，但有警告</translation>
    </message>
    <message>
        <source>Not usable</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>this machine</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>libvirt</source>
        <translation>libvirt</translation>
    </message>
    <message>
        <source>this machine and libvirt</source>
        <translation>本机和 libvirt</translation>
    </message>
    <message>
        <source>Check Again</source>
        <translation>重新检查</translation>
    </message>
    <message>
        <source>The check could not run.</source>
        <translation>无法运行检查。</translation>
    </message>
    <message>
        <source>This virtual machine is transient: it has no next-boot definition, and this change cannot be made while it runs.</source>
        <translation>此虚拟机是临时的：它没有下次启动的定义，且此更改无法在其运行时进行。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>Apply Anyway?</source>
        <translation>仍然应用？</translation>
    </message>
    <message>
        <source>Apply the change anyway?</source>
        <translation>仍然应用此更改吗？</translation>
    </message>
    <message>
        <source>Not applied: someone else changed this virtual machine meanwhile.</source>
        <translation>未应用：在此期间有其他人更改了此虚拟机。</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>没有更改任何内容。</translation>
    </message>
    <message>
        <source>Not checked: {0}</source>
        <translation>未检查：{0}</translation>
    </message>
    <message>
        <source>{0}, optional</source>
        <translation>{0}，可选</translation>
    </message>
    <message>
        <source>from {0}</source>
        <translation>来自{0}</translation>
    </message>
    <message>
        <source>→ {0}</source>
        <translation>→ {0}</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>URI:</source>
        <translation>URI：</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>libvirt version:</source>
        <translation>libvirt 版本：</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>Host name:</source>
        <translation>主机名：</translation>
    </message>
    <message>
        <source>CPU model:</source>
        <translation>CPU 型号：</translation>
    </message>
    <message>
        <source>CPUs:</source>
        <translation>CPU：</translation>
    </message>
    <message>
        <source>Sockets per NUMA cell:</source>
        <translation>每个 NUMA 单元的插槽数：</translation>
    </message>
    <message>
        <source>Cores per socket:</source>
        <translation>每个插槽的核心数：</translation>
    </message>
    <message>
        <source>Threads per core:</source>
        <translation>每个核心的线程数：</translation>
    </message>
    <message>
        <source>Frequency:</source>
        <translation>频率：</translation>
    </message>
    <message>
        <source>NUMA cells:</source>
        <translation>NUMA 单元：</translation>
    </message>
    <message>
        <source>Free memory:</source>
        <translation>可用内存：</translation>
    </message>
    <message>
        <source>{0} {1}/s</source>
        <translation>{0} {1}/秒</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>使用情况</translation>
    </message>
    <message>
        <source>CPU usage:</source>
        <translation>CPU 使用率：</translation>
    </message>
    <message>
        <source>Memory usage:</source>
        <translation>内存使用率：</translation>
    </message>
    <message>
        <source>Disk read:</source>
        <translation>磁盘读取：</translation>
    </message>
    <message>
        <source>Disk write:</source>
        <translation>磁盘写入：</translation>
    </message>
    <message>
        <source>Network in:</source>
        <translation>网络接收：</translation>
    </message>
    <message>
        <source>Network out:</source>
        <translation>网络发送：</translation>
    </message>
    <message>
        <source>{0:.0f} %</source>
        <translation>{0:.0f} %</translation>
    </message>
    <message>
        <source>{0} of {1}</source>
        <translation>{0} / {1}</translation>
    </message>
    <message>
        <source>Not collected</source>
        <translation>未收集</translation>
    </message>
    <message>
        <source>Graphs are drawn while the connection is up.</source>
        <translation>连接建立后才会绘制图表。</translation>
    </message>
    <message>
        <source>Graphs are drawn while the virtual machine runs.</source>
        <translation>虚拟机运行时才会绘制图表。</translation>
    </message>
    <message>
        <source>Statistics are switched off in Preferences.</source>
        <translation>统计已在首选项中关闭。</translation>
    </message>
    <message>
        <source>Collecting statistics…</source>
        <translation>正在收集统计…</translation>
    </message>
    <message>
        <source>Updated every {0:g} s.</source>
        <translation>每 {0:g} 秒更新一次。</translation>
    </message>
    <message>
        <source>Host details are shown while connected.</source>
        <translation>连接后显示主机详情。</translation>
    </message>
    <message>
        <source>{0} MHz</source>
        <translation>{0} MHz</translation>
    </message>
    <message>
        <source>{0} of {1} ({2}%)</source>
        <translation>{0} / {1}（{2}%）</translation>
    </message>
    <message>
        <source>not available on this host</source>
        <translation>此主机不可用</translation>
    </message>
    <message>
        <source>measuring…</source>
        <translation>正在测量…</translation>
    </message>
    <message>
        <source>{0}%</source>
        <translation>{0}%</translation>
    </message>
    <message>
        <source>{0} – Connection Details</source>
        <translation>{0} – 连接详情</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Boot Options</source>
        <translation>引导选项</translation>
    </message>
    <message>
        <source>Virtualization Check</source>
        <translation>虚拟化检查</translation>
    </message>
    <message>
        <source>Virtual Networks</source>
        <translation>虚拟网络</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>存储</translation>
    </message>
    <message>
        <source>Enter a name for the network.</source>
        <translation>请输入网络名称。</translation>
    </message>
    <message>
        <source>A network name cannot contain “/”.</source>
        <translation>网络名称不能包含“/”。</translation>
    </message>
    <message>
        <source>A network name cannot start with “-”.</source>
        <translation>网络名称不能以“-”开头。</translation>
    </message>
    <message>
        <source>There is already a network named {0}.</source>
        <translation>已存在名为 {0} 的网络。</translation>
    </message>
    <message>
        <source>Enter the host&apos;s IPv4 address on the network with its prefix or netmask, for example 192.168.100.1/24.</source>
        <translation>请输入主机在该网络上的 IPv4 地址及其前缀或子网掩码，例如 192.168.100.1/24。</translation>
    </message>
    <message>
        <source>{0} does not have a valid netmask or prefix.</source>
        <translation>{0} 没有有效的子网掩码或前缀。</translation>
    </message>
    <message>
        <source>The network {0} has no room for guests: use /30 or wider.</source>
        <translation>网络 {0} 没有可供客户机使用的地址：请使用 /30 或更大的网络。</translation>
    </message>
    <message>
        <source>{0} is the network or broadcast address: the host needs an address inside it, such as .1.</source>
        <translation>{0} 是网络地址或广播地址：主机需要该网络内的一个地址，例如 .1。</translation>
    </message>
    <message>
        <source>The addresses overlap those of the network {0}.</source>
        <translation>这些地址与网络 {0} 的地址重叠。</translation>
    </message>
    <message>
        <source>Enter both ends of the DHCP range, or neither.</source>
        <translation>请同时输入 DHCP 范围的两端，或都不输入。</translation>
    </message>
    <message>
        <source>The DHCP range {0} is not two IPv4 addresses.</source>
        <translation>DHCP 范围 {0} 不是两个 IPv4 地址。</translation>
    </message>
    <message>
        <source>The DHCP address {0} is not a guest address of the network.</source>
        <translation>DHCP 地址 {0} 不是该网络中的客户机地址。</translation>
    </message>
    <message>
        <source>The DHCP range {0} ends before it starts.</source>
        <translation>DHCP 范围 {0} 的结束地址在起始地址之前。</translation>
    </message>
    <message>
        <source>The DHCP range holds the host&apos;s own address {0}.</source>
        <translation>DHCP 范围包含了主机自己的地址 {0}。</translation>
    </message>
    <message>
        <source>Unknown network mode {0}.</source>
        <translation>未知的网络模式 {0}。</translation>
    </message>
    <message>
        <source>The input is not valid: {0}</source>
        <translation>输入无效：{0}</translation>
    </message>
    <message>
        <source>Add Virtual Network</source>
        <translation>添加虚拟网络</translation>
    </message>
    <message>
        <source>NAT (guests reach outside through the host)</source>
        <translation>NAT（客户机通过主机访问外部）</translation>
    </message>
    <message>
        <source>Routed (guests are routed, no address translation)</source>
        <translation>路由（客户机经过路由，无地址转换）</translation>
    </message>
    <message>
        <source>Isolated (guests and host only)</source>
        <translation>隔离（仅客户机和主机）</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation>模式：</translation>
    </message>
    <message>
        <source>IPv4 address:</source>
        <translation>IPv4 地址：</translation>
    </message>
    <message>
        <source>DHCP start:</source>
        <translation>DHCP 起始：</translation>
    </message>
    <message>
        <source>DHCP end:</source>
        <translation>DHCP 结束：</translation>
    </message>
    <message>
        <source>Leave both DHCP fields empty for a network without DHCP.</source>
        <translation>两个 DHCP 字段都留空则创建不带 DHCP 的网络。</translation>
    </message>
    <message>
        <source>Isolated</source>
        <translation>隔离</translation>
    </message>
    <message>
        <source>NAT</source>
        <translation>NAT</translation>
    </message>
    <message>
        <source>Routed</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>开放</translation>
    </message>
    <message>
        <source>{0} – {1}</source>
        <translation>{0} – {1}</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>不活动</translation>
    </message>
    <message>
        <source>• {0}</source>
        <translation>• {0}</translation>
    </message>
    <message>
        <source>and {0} more</source>
        <translation>以及另外 {0} 个</translation>
    </message>
    <message>
        <source>Autostart</source>
        <translation>自动启动</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>IPv4 address</source>
        <translation>IPv4 地址</translation>
    </message>
    <message>
        <source>DHCP range</source>
        <translation>DHCP 范围</translation>
    </message>
    <message>
        <source>Virtual networks</source>
        <translation>虚拟网络</translation>
    </message>
    <message>
        <source>DHCP Leases</source>
        <translation>DHCP 租约</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>IP 地址</translation>
    </message>
    <message>
        <source>Host name</source>
        <translation>主机名</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>到期时间</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>客户端 ID</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Start this network when the host starts</source>
        <translation>主机启动时启动此网络</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>DHCP Leases of {0}</source>
        <translation>{0} 的 DHCP 租约</translation>
    </message>
    <message>
        <source>The network is stopped: it hands out no addresses.</source>
        <translation>网络已停止：它不分配任何地址。</translation>
    </message>
    <message>
        <source>This network has no DHCP server.</source>
        <translation>此网络没有 DHCP 服务器。</translation>
    </message>
    <message>
        <source>DHCP leases are not available on this host.</source>
        <translation>此主机上无法获取 DHCP 租约。</translation>
    </message>
    <message>
        <source>No guest holds a lease on this network now.</source>
        <translation>目前没有客户机在此网络上持有租约。</translation>
    </message>
    <message>
        <source>Start Network</source>
        <translation>启动网络</translation>
    </message>
    <message>
        <source>Stop Network</source>
        <translation>停止网络</translation>
    </message>
    <message>
        <source>Stop the virtual network {0}?</source>
        <translation>停止虚拟网络 {0} 吗？</translation>
    </message>
    <message>
        <source>These running virtual machines lose their network connection:</source>
        <translation>这些正在运行的虚拟机将失去网络连接：</translation>
    </message>
    <message>
        <source>Network Autostart</source>
        <translation>网络自动启动</translation>
    </message>
    <message>
        <source>Delete Network</source>
        <translation>删除网络</translation>
    </message>
    <message>
        <source>Delete the virtual network {0}?</source>
        <translation>删除虚拟网络 {0} 吗？</translation>
    </message>
    <message>
        <source>It is stopped and its definition removed. This cannot be undone.</source>
        <translation>网络将被停止并删除其定义。此操作无法撤消。</translation>
    </message>
    <message>
        <source>The network {0} is in use and was not deleted.</source>
        <translation>网络 {0} 正在使用中，未被删除。</translation>
    </message>
    <message>
        <source>These running virtual machines are connected to it:</source>
        <translation>这些正在运行的虚拟机连接到该网络：</translation>
    </message>
    <message>
        <source>Shut them down, or connect them to another network, first.</source>
        <translation>请先关闭它们，或将它们连接到其他网络。</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>The volume {0} is in use and was not deleted.</source>
        <translation>卷 {0} 正在使用中，未被删除。</translation>
    </message>
    <message>
        <source>Volumes of the pool {0} are in use: it was not deleted.</source>
        <translation>存储池 {0} 中的卷正在使用中：该存储池未被删除。</translation>
    </message>
    <message>
        <source>These virtual machines use it:</source>
        <translation>这些虚拟机正在使用它：</translation>
    </message>
    <message>
        <source>Remove the disks from them first.</source>
        <translation>请先从这些虚拟机中移除磁盘。</translation>
    </message>
    <message>
        <source>Start Pool</source>
        <translation>启动存储池</translation>
    </message>
    <message>
        <source>Stop Pool</source>
        <translation>停止存储池</translation>
    </message>
    <message>
        <source>Pool Autostart</source>
        <translation>存储池自动启动</translation>
    </message>
    <message>
        <source>Refresh Pool</source>
        <translation>刷新存储池</translation>
    </message>
    <message>
        <source>Delete Pool</source>
        <translation>删除存储池</translation>
    </message>
    <message>
        <source>Delete the storage pool {0}?</source>
        <translation>删除存储池 {0} 吗？</translation>
    </message>
    <message>
        <source>It is stopped and its definition removed; the files in it stay on the host.</source>
        <translation>存储池将被停止并删除其定义；其中的文件仍保留在主机上。</translation>
    </message>
    <message>
        <source>Folder on the host</source>
        <translation>主机上的文件夹</translation>
    </message>
    <message>
        <source>Formatted block device</source>
        <translation>已格式化的块设备</translation>
    </message>
    <message>
        <source>Network file system (NFS)</source>
        <translation>网络文件系统 (NFS)</translation>
    </message>
    <message>
        <source>LVM volume group</source>
        <translation>LVM 卷组</translation>
    </message>
    <message>
        <source>Physical disk</source>
        <translation>物理磁盘</translation>
    </message>
    <message>
        <source>iSCSI target</source>
        <translation>iSCSI 目标</translation>
    </message>
    <message>
        <source>SCSI host adapter</source>
        <translation>SCSI 主机适配器</translation>
    </message>
    <message>
        <source>Multipath devices</source>
        <translation>多路径设备</translation>
    </message>
    <message>
        <source>Ceph RBD</source>
        <translation>Ceph RBD</translation>
    </message>
    <message>
        <source>Gluster volume</source>
        <translation>Gluster 卷</translation>
    </message>
    <message>
        <source>ZFS pool</source>
        <translation>ZFS 池</translation>
    </message>
    <message>
        <source>Add Storage Pool</source>
        <translation>添加存储池</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Browse for the folder</source>
        <translation>浏览文件夹</translation>
    </message>
    <message>
        <source>Browse for the device</source>
        <translation>浏览设备</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <source>Mount point:</source>
        <translation>挂载点：</translation>
    </message>
    <message>
        <source>Target IQN:</source>
        <translation>目标 IQN：</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>主机：</translation>
    </message>
    <message>
        <source>Exported folder:</source>
        <translation>导出的文件夹：</translation>
    </message>
    <message>
        <source>Volume group:</source>
        <translation>卷组：</translation>
    </message>
    <message>
        <source>Ceph pool:</source>
        <translation>Ceph 池：</translation>
    </message>
    <message>
        <source>Volume:</source>
        <translation>卷：</translation>
    </message>
    <message>
        <source>ZFS pool:</source>
        <translation>ZFS 池：</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>源：</translation>
    </message>
    <message>
        <source>Adapter:</source>
        <translation>适配器：</translation>
    </message>
    <message>
        <source>Choose a Folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <source>Choose a Device</source>
        <translation>选择设备</translation>
    </message>
    <message>
        <source>New Volume</source>
        <translation>新建卷</translation>
    </message>
    <message>
        <source>Resize Volume</source>
        <translation>调整卷大小</translation>
    </message>
    <message>
        <source>Delete Volume</source>
        <translation>删除卷</translation>
    </message>
    <message>
        <source>Delete the volume {0}?</source>
        <translation>删除卷 {0} 吗？</translation>
    </message>
    <message>
        <source>Its data is deleted from the host. This cannot be undone.</source>
        <translation>其数据将从主机上删除。此操作无法撤消。</translation>
    </message>
    <message>
        <source>Delete volume “{0}”</source>
        <translation>删除卷“{0}”</translation>
    </message>
    <message>
        <source>{0} GiB</source>
        <translation>{0} GiB</translation>
    </message>
    <message>
        <source>Enter a name.</source>
        <translation>请输入名称。</translation>
    </message>
    <message>
        <source>A name cannot contain “/”.</source>
        <translation>名称不能包含“/”。</translation>
    </message>
    <message>
        <source>A name cannot start with “-”.</source>
        <translation>名称不能以“-”开头。</translation>
    </message>
    <message>
        <source>A name cannot contain line breaks.</source>
        <translation>名称不能包含换行符。</translation>
    </message>
    <message>
        <source>The name {0} is already taken.</source>
        <translation>名称 {0} 已被占用。</translation>
    </message>
    <message>
        <source>Enter an absolute path, starting with “/”.</source>
        <translation>请输入以“/”开头的绝对路径。</translation>
    </message>
    <message>
        <source>The path cannot contain “..”.</source>
        <translation>路径不能包含“..”。</translation>
    </message>
    <message>
        <source>The path cannot contain line breaks.</source>
        <translation>路径不能包含换行符。</translation>
    </message>
    <message>
        <source>The size {0} is not a number.</source>
        <translation>大小 {0} 不是数字。</translation>
    </message>
    <message>
        <source>The size must be larger than zero.</source>
        <translation>大小必须大于零。</translation>
    </message>
    <message>
        <source>The pool has only {0} free.</source>
        <translation>该存储池只剩 {0} 可用空间。</translation>
    </message>
    <message>
        <source>The volume is {0}: it can only grow. Shrinking would destroy data.</source>
        <translation>该卷的大小为 {0}：只能增大。缩小会破坏数据。</translation>
    </message>
    <message>
        <source>Unknown volume format {0}.</source>
        <translation>未知的卷格式 {0}。</translation>
    </message>
    <message>
        <source>Enter the host that serves the storage.</source>
        <translation>请输入提供存储的主机。</translation>
    </message>
    <message>
        <source>{0} is not a host name.</source>
        <translation>{0} 不是主机名。</translation>
    </message>
    <message>
        <source>Enter the device, or the target&apos;s IQN.</source>
        <translation>请输入设备，或目标的 IQN。</translation>
    </message>
    <message>
        <source>{0} is not an iSCSI target name (IQN).</source>
        <translation>{0} 不是 iSCSI 目标名称 (IQN)。</translation>
    </message>
    <message>
        <source>Enter the name of the volume group, pool or volume.</source>
        <translation>请输入卷组、池或卷的名称。</translation>
    </message>
    <message>
        <source>{0} cannot be the name of a source: no spaces.</source>
        <translation>{0} 不能作为源的名称：不能包含空格。</translation>
    </message>
    <message>
        <source>Enter the SCSI host adapter, for example host0.</source>
        <translation>请输入 SCSI 主机适配器，例如 host0。</translation>
    </message>
    <message>
        <source>{0} is not a SCSI host adapter name.</source>
        <translation>{0} 不是 SCSI 主机适配器名称。</translation>
    </message>
    <message>
        <source>This host does not offer pools of type {0}.</source>
        <translation>此主机不提供类型为 {0} 的存储池。</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source>for example: disk1.qcow2</source>
        <translation>例如：disk1.qcow2</translation>
    </message>
    <message>
        <source>qcow2 (grows as used, snapshots)</source>
        <translation>qcow2（按需增长，支持快照）</translation>
    </message>
    <message>
        <source>raw (plain image)</source>
        <translation>raw（普通镜像）</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>Free in the pool: {0}</source>
        <translation>存储池中的可用空间：{0}</translation>
    </message>
    <message>
        <source>Volume: {0}</source>
        <translation>卷：{0}</translation>
    </message>
    <message>
        <source>Current size:</source>
        <translation>当前大小：</translation>
    </message>
    <message>
        <source>New size:</source>
        <translation>新大小：</translation>
    </message>
    <message>
        <source>{0} used of {1}, {2} free</source>
        <translation>已用 {0}，共 {1}，可用 {2}</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>存储池</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>Storage pools</source>
        <translation>存储池</translation>
    </message>
    <message>
        <source>Volumes</source>
        <translation>卷</translation>
    </message>
    <message>
        <source>Add Pool…</source>
        <translation>添加存储池…</translation>
    </message>
    <message>
        <source>Start this pool when the host starts</source>
        <translation>主机启动时启动此存储池</translation>
    </message>
    <message>
        <source>Scan the selected pool again for changed files</source>
        <translation>重新扫描所选存储池中已更改的文件</translation>
    </message>
    <message>
        <source>Remove the pool&apos;s definition; its files stay</source>
        <translation>删除存储池的定义；其中的文件保留</translation>
    </message>
    <message>
        <source>New Volume…</source>
        <translation>新建卷…</translation>
    </message>
    <message>
        <source>Resize…</source>
        <translation>调整大小…</translation>
    </message>
    <message>
        <source>Upload…</source>
        <translation>上传…</translation>
    </message>
    <message>
        <source>Copy a file from this computer into the pool (an ISO, a disk image)</source>
        <translation>将本机上的文件（ISO 或磁盘映像）复制到存储池中</translation>
    </message>
    <message>
        <source>Start the pool to see its volumes.</source>
        <translation>启动存储池以查看其中的卷。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Loading… {0} of {1} volumes</source>
        <translation>正在加载… 第 {0} 个卷，共 {1} 个</translation>
    </message>
    <message>
        <source>The pool has no volumes.</source>
        <translation>该存储池中没有卷。</translation>
    </message>
    <message numerus="yes">
        <source>%Ln volume(s)</source>
        <translation>
            <numerusform>%Ln 个卷</numerusform>
        </translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>卷</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>容量</translation>
    </message>
    <message>
        <source>Allocation</source>
        <translation>分配</translation>
    </message>
    <message>
        <source>Used by</source>
        <translation>使用者</translation>
    </message>
    <message>
        <source>XML definition</source>
        <translation>XML 定义</translation>
    </message>
    <message>
        <source>“{0}” was created and is running. It is transient: it disappears when it shuts down.</source>
        <translation>“{0}”已创建并正在运行。它是临时的：关机后即消失。</translation>
    </message>
    <message>
        <source>“{0}” was started with the new definition; its own is used again at its next start.</source>
        <translation>“{0}”已使用新定义启动；下次启动时会再次使用它自己的定义。</translation>
    </message>
    <message>
        <source>The definition of “{0}” was replaced.</source>
        <translation>“{0}”的定义已被替换。</translation>
    </message>
    <message>
        <source>“{0}” was defined. It is shut off until you start it.</source>
        <translation>“{0}”已定义。在您启动它之前它处于关闭状态。</translation>
    </message>
    <message>
        <source>{0} (in the backing chain of its {1})</source>
        <translation>{0}（在其 {1} 的后备链中）</translation>
    </message>
    <message>
        <source>{0} (its disk {1})</source>
        <translation>{0}（其磁盘 {1}）</translation>
    </message>
    <message>
        <source>Needed by {0}</source>
        <translation>{0} 需要</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>Shareable</source>
        <translation>可共享</translation>
    </message>
    <message>
        <source>Floppy (removable media)</source>
        <translation>软盘（可移动介质）</translation>
    </message>
    <message>
        <source>CD-ROM (removable media)</source>
        <translation>光驱（可移动介质）</translation>
    </message>
    <message>
        <source>Not a storage volume (cannot be deleted here)</source>
        <translation>不是存储卷（无法在此处删除）</translation>
    </message>
    <message>
        <source>Empty drive</source>
        <translation>空驱动器</translation>
    </message>
    <message>
        <source>Base image of {0}</source>
        <translation>{0} 的基础镜像</translation>
    </message>
    <message>
        <source>State before snapshot “{0}”</source>
        <translation>快照“{0}”之前的状态</translation>
    </message>
    <message>
        <source>Memory state of snapshot “{0}”</source>
        <translation>快照“{0}”的内存状态</translation>
    </message>
    <message>
        <source>Made by snapshot “{0}”</source>
        <translation>由快照“{0}”创建</translation>
    </message>
    <message>
        <source>Other virtual machines need this file: {0}. Deleting it breaks them.</source>
        <translation>其他虚拟机需要此文件：{0}。删除它会使它们无法运行。</translation>
    </message>
    <message>
        <source>Its saved memory state (managed save) is removed.</source>
        <translation>其保存的内存状态（托管保存）将被删除。</translation>
    </message>
    <message>
        <source>external: its files are listed under storage</source>
        <translation>外部：其文件列在存储中</translation>
    </message>
    <message>
        <source>internal: kept in the disk images, and deleted with them</source>
        <translation>内部：保存在磁盘镜像中，随镜像一起删除</translation>
    </message>
    <message>
        <source>Snapshot “{0}” {1} is removed ({2}).</source>
        <translation>快照“{0}” {1} 将被删除（{2}）。</translation>
    </message>
    <message numerus="yes">
        <source>Its %n checkpoint(s) are removed.</source>
        <translation>
            <numerusform>其 %n 个检查点将被删除。</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete Storage Files</source>
        <translation>删除存储文件</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n storage file(s)? They cannot be recovered.</source>
        <translation>
            <numerusform>删除 %n 个存储文件？删除后无法恢复。</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete Files</source>
        <translation>删除文件</translation>
    </message>
    <message>
        <source>Delete Files Other Machines Need</source>
        <translation>删除其他虚拟机需要的文件</translation>
    </message>
    <message>
        <source>Other virtual machines need {0} of the selected files. Delete them anyway?</source>
        <translation>其他虚拟机需要所选文件中的 {0} 个。仍然删除吗？</translation>
    </message>
    <message>
        <source>{0}, needed by {1}</source>
        <translation>{0}，{1} 需要</translation>
    </message>
    <message>
        <source>Those machines will no longer start.</source>
        <translation>这些虚拟机将无法再启动。</translation>
    </message>
    <message>
        <source>Delete Anyway</source>
        <translation>仍然删除</translation>
    </message>
    <message>
        <source>The disk is read-only; it is often a base image other machines need.</source>
        <translation>该磁盘是只读的；它通常是其他虚拟机需要的基础镜像。</translation>
    </message>
    <message>
        <source>The disk is marked shareable: other machines may use it.</source>
        <translation>该磁盘被标记为可共享：其他虚拟机可能在使用它。</translation>
    </message>
    <message>
        <source>Installation media and ISO images are usually kept.</source>
        <translation>安装介质和 ISO 镜像通常会保留。</translation>
    </message>
    <message>
        <source>No storage pool of this host manages this path, so kvmdesk cannot delete it. Remove the file by other means if it is no longer needed.</source>
        <translation>此主机上没有存储池管理此路径，因此 kvmdesk 无法删除它。如果不再需要该文件，请通过其他方式删除。</translation>
    </message>
    <message>
        <source>No medium is inserted in this drive.</source>
        <translation>此驱动器中没有插入介质。</translation>
    </message>
    <message>
        <source>The disk {0} is an overlay on this file. No other virtual machine of this host uses it now, but base images are often kept to make new machines from.</source>
        <translation>磁盘 {0} 是此文件之上的覆盖层。此主机上目前没有其他虚拟机使用它，但基础镜像通常会保留，用于创建新的虚拟机。</translation>
    </message>
    <message>
        <source>The disk {0} was this file before the snapshot “{1}”; the disk&apos;s image now builds on it.</source>
        <translation>在快照“{1}”之前，磁盘 {0} 就是此文件；该磁盘现在的镜像以它为基础。</translation>
    </message>
    <message>
        <source>A file of the external snapshot “{0}”, used by no other machine.</source>
        <translation>外部快照“{0}”的文件，没有其他虚拟机使用。</translation>
    </message>
    <message>
        <source>Only this virtual machine uses this disk.</source>
        <translation>只有此虚拟机使用此磁盘。</translation>
    </message>
    <message>
        <source>Virtual machine “{0}” was not deleted.</source>
        <translation>虚拟机“{0}”未被删除。</translation>
    </message>
    <message>
        <source>Virtual machine “{0}” was deleted.</source>
        <translation>虚拟机“{0}”已删除。</translation>
    </message>
    <message>
        <source>its definition</source>
        <translation>其定义</translation>
    </message>
    <message>
        <source>its saved memory state (managed save)</source>
        <translation>其保存的内存状态（托管保存）</translation>
    </message>
    <message>
        <source>the snapshot “{0}” (its metadata)</source>
        <translation>快照“{0}”（其元数据）</translation>
    </message>
    <message>
        <source>its checkpoints ({0})</source>
        <translation>其检查点（{0}）</translation>
    </message>
    <message>
        <source>its UEFI variables (NVRAM) {0}</source>
        <translation>其 UEFI 变量（NVRAM）{0}</translation>
    </message>
    <message>
        <source>its UEFI variables (NVRAM)</source>
        <translation>其 UEFI 变量（NVRAM）</translation>
    </message>
    <message>
        <source>Virtual machine “{0}” was deleted, but one storage file could not be deleted.</source>
        <translation>虚拟机“{0}”已删除，但有一个存储文件无法删除。</translation>
    </message>
    <message>
        <source>Virtual machine “{0}” was deleted, but {1} storage files could not be deleted.</source>
        <translation>虚拟机“{0}”已删除，但有 {1} 个存储文件无法删除。</translation>
    </message>
    <message>
        <source>It was forced off.</source>
        <translation>虚拟机已被强制关闭。</translation>
    </message>
    <message>
        <source>Removed: {0}</source>
        <translation>已删除：{0}</translation>
    </message>
    <message>
        <source>Removing its definition failed: {0}</source>
        <translation>删除其定义失败：{0}</translation>
    </message>
    <message>
        <source>No storage was deleted.</source>
        <translation>没有删除任何存储。</translation>
    </message>
    <message>
        <source>Deleted: {0}</source>
        <translation>已删除：{0}</translation>
    </message>
    <message>
        <source>Not deleted: {0} ({1})</source>
        <translation>未删除：{0}（{1}）</translation>
    </message>
    <message>
        <source>No storage files were deleted.</source>
        <translation>没有删除任何存储文件。</translation>
    </message>
    <message>
        <source>Left: {0}</source>
        <translation>已保留：{0}</translation>
    </message>
    <message>
        <source>A copy of its definition was saved to {0}</source>
        <translation>其定义的副本已保存到 {0}</translation>
    </message>
    <message>
        <source>Delete Virtual Machine</source>
        <translation>删除虚拟机</translation>
    </message>
    <message>
        <source>Cannot Open the Connection</source>
        <translation>无法打开连接</translation>
    </message>
    <message>
        <source>kvmdesk could not open {0}.</source>
        <translation>kvmdesk 无法打开 {0}。</translation>
    </message>
    <message>
        <source>No Such Virtual Machine</source>
        <translation>没有这个虚拟机</translation>
    </message>
    <message>
        <source>There is no virtual machine “{0}” on {1}.</source>
        <translation>{1} 上没有虚拟机“{0}”。</translation>
    </message>
    <message>
        <source>Columns shown in the list</source>
        <translation>列表中显示的列</translation>
    </message>
    <message>
        <source>Checking with the host…</source>
        <translation>正在向主机核实…</translation>
    </message>
    <message>
        <source>Press the button again to go on anyway.</source>
        <translation>再次按下按钮以继续。</translation>
    </message>
    <message>
        <source>/var/lib/libvirt/images/disk.qcow2</source>
        <translation>/var/lib/libvirt/images/disk.qcow2</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose a volume from the host&apos;s storage pools</source>
        <translation>从主机的存储池中选择一个卷</translation>
    </message>
    <message>
        <source>Choose a Volume</source>
        <translation>选择卷</translation>
    </message>
    <message>
        <source>Install media and operating system</source>
        <translation>安装介质和操作系统</translation>
    </message>
    <message>
        <source>Choose what to install, and the operating system it holds.</source>
        <translation>选择要安装的内容及其中的操作系统。</translation>
    </message>
    <message>
        <source>Choose install media</source>
        <translation>选择安装介质</translation>
    </message>
    <message>
        <source>ISO image or CD-ROM:</source>
        <translation>ISO 镜像或光驱：</translation>
    </message>
    <message>
        <source>Choose a disk image</source>
        <translation>选择磁盘镜像</translation>
    </message>
    <message>
        <source>Disk image:</source>
        <translation>磁盘镜像：</translation>
    </message>
    <message>
        <source>Choose a kernel</source>
        <translation>选择内核</translation>
    </message>
    <message>
        <source>Choose an initrd</source>
        <translation>选择 initrd</translation>
    </message>
    <message>
        <source>optional: /path/to/image.iso</source>
        <translation>可选：/path/to/image.iso</translation>
    </message>
    <message>
        <source>Keep booting this kernel after the install</source>
        <translation>安装后继续引导此内核</translation>
    </message>
    <message>
        <source>Unticked, the kernel only starts the installer: once the guest first shuts down or reboots, the machine boots from its disk. Without a disk it always boots this kernel.</source>
        <translation>不勾选时，内核只用于启动安装程序：客户机第一次关机或重启后，虚拟机将从其磁盘引导。没有磁盘时，它始终引导此内核。</translation>
    </message>
    <message>
        <source>Kernel:</source>
        <translation>内核：</translation>
    </message>
    <message>
        <source>Initrd:</source>
        <translation>Initrd：</translation>
    </message>
    <message>
        <source>Kernel arguments:</source>
        <translation>内核参数：</translation>
    </message>
    <message>
        <source>Install media (CD-ROM):</source>
        <translation>安装介质（光驱）：</translation>
    </message>
    <message>
        <source>This host is remote: files are chosen from its storage pools, not from this computer.</source>
        <translation>这是远程主机：文件从其存储池中选择，而不是从本计算机中选择。</translation>
    </message>
    <message>
        <source>Search, e.g. debian 12</source>
        <translation>搜索，例如 debian 12</translation>
    </message>
    <message>
        <source>Search operating systems</source>
        <translation>搜索操作系统</translation>
    </message>
    <message>
        <source>Operating system</source>
        <translation>操作系统</translation>
    </message>
    <message>
        <source>Loading the list of operating systems…</source>
        <translation>正在加载操作系统列表…</translation>
    </message>
    <message>
        <source>Operating system:</source>
        <translation>操作系统：</translation>
    </message>
    <message>
        <source>The osinfo database is not installed: generic choices only (install the osinfo-db package for the full list).</source>
        <translation>未安装 osinfo 数据库：只有通用选项（安装 osinfo-db 软件包可获得完整列表）。</translation>
    </message>
    <message>
        <source>Detected from the install media: {0}</source>
        <translation>根据安装介质检测到：{0}</translation>
    </message>
    <message>
        <source>virtio</source>
        <translation>virtio</translation>
    </message>
    <message>
        <source>SATA and e1000</source>
        <translation>SATA 和 e1000</translation>
    </message>
    <message>
        <source>{0} MiB memory</source>
        <translation>{0} MiB 内存</translation>
    </message>
    <message>
        <source>{0} GiB disk</source>
        <translation>{0} GiB 磁盘</translation>
    </message>
    <message>
        <source>devices: {0}</source>
        <translation>设备：{0}</translation>
    </message>
    <message>
        <source>Recommended: {0}</source>
        <translation>推荐：{0}</translation>
    </message>
    <message>
        <source>The kernel arguments cannot contain line breaks.</source>
        <translation>内核参数不能包含换行符。</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>How the virtual machine reaches the network.</source>
        <translation>虚拟机如何连接网络。</translation>
    </message>
    <message>
        <source>Network:</source>
        <translation>网络：</translation>
    </message>
    <message>
        <source>Connect to:</source>
        <translation>连接到：</translation>
    </message>
    <message>
        <source>MAC address:</source>
        <translation>MAC 地址：</translation>
    </message>
    <message>
        <source>User-mode networking</source>
        <translation>用户模式网络</translation>
    </message>
    <message>
        <source>Host bridge</source>
        <translation>主机网桥</translation>
    </message>
    <message>
        <source>Host device (macvtap)</source>
        <translation>主机设备（macvtap）</translation>
    </message>
    <message>
        <source>No network</source>
        <translation>无网络</translation>
    </message>
    <message>
        <source>{0} (not running)</source>
        <translation>{0}（未运行）</translation>
    </message>
    <message>
        <source>The network starts with the VM only if it is running.</source>
        <translation>仅当该网络正在运行时，它才会随虚拟机启动。</translation>
    </message>
    <message>
        <source>Bridge:</source>
        <translation>网桥：</translation>
    </message>
    <message>
        <source>Host device:</source>
        <translation>主机设备：</translation>
    </message>
    <message>
        <source>Choose what to connect to.</source>
        <translation>请选择要连接的对象。</translation>
    </message>
    <message>
        <source>“{0}” is not a valid interface name.</source>
        <translation>“{0}”不是有效的接口名称。</translation>
    </message>
    <message>
        <source>The MAC address must look like 52:54:00:12:34:56.</source>
        <translation>MAC 地址的格式应类似 52:54:00:12:34:56。</translation>
    </message>
    <message>
        <source>The MAC address must not be a multicast address.</source>
        <translation>MAC 地址不能是组播地址。</translation>
    </message>
    <message>
        <source>Memory and CPUs</source>
        <translation>内存和 CPU</translation>
    </message>
    <message>
        <source>How much of the host the virtual machine may use.</source>
        <translation>虚拟机可以使用多少主机资源。</translation>
    </message>
    <message>
        <source>Memory (MiB):</source>
        <translation>内存（MiB）：</translation>
    </message>
    <message>
        <source>Up to {0} MiB on this host.</source>
        <translation>此主机上最多 {0} MiB。</translation>
    </message>
    <message>
        <source>Up to {0} on this host.</source>
        <translation>此主机上最多 {0} 个。</translation>
    </message>
    <message>
        <source>How will the operating system be installed?</source>
        <translation>如何安装操作系统？</translation>
    </message>
    <message>
        <source>Choose where the new virtual machine starts from.</source>
        <translation>选择新虚拟机从何处启动。</translation>
    </message>
    <message>
        <source>Local install media (ISO image or CD-ROM)</source>
        <translation>本地安装介质（ISO 镜像或光驱）</translation>
    </message>
    <message>
        <source>Import an existing disk image</source>
        <translation>导入现有磁盘镜像</translation>
    </message>
    <message>
        <source>Direct kernel boot (kernel and initrd on the host)</source>
        <translation>直接内核引导（主机上的内核和 initrd）</translation>
    </message>
    <message>
        <source>Network boot (PXE)</source>
        <translation>网络引导（PXE）</translation>
    </message>
    <message>
        <source>Manual install (an empty disk)</source>
        <translation>手动安装（空磁盘）</translation>
    </message>
    <message>
        <source>Loading the host&apos;s details…</source>
        <translation>正在加载主机详情…</translation>
    </message>
    <message>
        <source>The virtual machine&apos;s disk.</source>
        <translation>虚拟机的磁盘。</translation>
    </message>
    <message>
        <source>Create a new disk image</source>
        <translation>创建新的磁盘镜像</translation>
    </message>
    <message>
        <source>Use an existing disk image or volume</source>
        <translation>使用现有的磁盘镜像或卷</translation>
    </message>
    <message>
        <source>No disk</source>
        <translation>无磁盘</translation>
    </message>
    <message>
        <source>qcow2 (grows as needed, snapshots)</source>
        <translation>qcow2（按需增长，支持快照）</translation>
    </message>
    <message>
        <source>raw (all space at once)</source>
        <translation>raw（一次性分配全部空间）</translation>
    </message>
    <message>
        <source>Storage pool:</source>
        <translation>存储池：</translation>
    </message>
    <message>
        <source>Size (GiB):</source>
        <translation>大小（GiB）：</translation>
    </message>
    <message>
        <source>Path:</source>
        <translation>路径：</translation>
    </message>
    <message>
        <source>No storage pool on this host.</source>
        <translation>此主机上没有存储池。</translation>
    </message>
    <message>
        <source>This pool is not running.</source>
        <translation>此存储池未运行。</translation>
    </message>
    <message>
        <source>{0} free</source>
        <translation>可用 {0}</translation>
    </message>
    <message>
        <source>Choose a storage pool.</source>
        <translation>请选择存储池。</translation>
    </message>
    <message>
        <source>Install from {0}</source>
        <translation>从 {0} 安装</translation>
    </message>
    <message>
        <source>Import the disk image {0}</source>
        <translation>导入磁盘镜像 {0}</translation>
    </message>
    <message>
        <source>Boot the kernel {0}</source>
        <translation>引导内核 {0}</translation>
    </message>
    <message>
        <source>Boot from the network (PXE)</source>
        <translation>从网络引导（PXE）</translation>
    </message>
    <message>
        <source>Manual install</source>
        <translation>手动安装</translation>
    </message>
    <message>
        <source>Name and review</source>
        <translation>名称和检查</translation>
    </message>
    <message>
        <source>Name the virtual machine and check the choices.</source>
        <translation>为虚拟机命名并检查所做的选择。</translation>
    </message>
    <message>
        <source>Keep the install media in its drive after the install</source>
        <translation>安装后将安装介质保留在驱动器中</translation>
    </message>
    <message>
        <source>Customize configuration before install</source>
        <translation>安装前自定义配置</translation>
    </message>
    <message>
        <source>Virtualization:</source>
        <translation>虚拟化：</translation>
    </message>
    <message>
        <source>Machine type:</source>
        <translation>机器类型：</translation>
    </message>
    <message>
        <source>Firmware:</source>
        <translation>固件：</translation>
    </message>
    <message>
        <source>KVM (hardware acceleration)</source>
        <translation>KVM（硬件加速）</translation>
    </message>
    <message>
        <source>QEMU emulation (slow, always works)</source>
        <translation>QEMU 模拟（较慢，但总能工作）</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Machine type</source>
        <translation>机器类型</translation>
    </message>
    <message>
        <source>Firmware</source>
        <translation>固件</translation>
    </message>
    <message>
        <source>Secure Boot</source>
        <translation>安全引导</translation>
    </message>
    <message>
        <source>TPM</source>
        <translation>TPM</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>时钟</translation>
    </message>
    <message>
        <source>Timers</source>
        <translation>定时器</translation>
    </message>
    <message>
        <source>Hyper-V enlightenments</source>
        <translation>Hyper-V 优化</translation>
    </message>
    <message>
        <source>USB controller</source>
        <translation>USB 控制器</translation>
    </message>
    <message>
        <source>PCIe root ports</source>
        <translation>PCIe 根端口</translation>
    </message>
    <message>
        <source>Disk bus</source>
        <translation>磁盘总线</translation>
    </message>
    <message>
        <source>CD-ROM bus</source>
        <translation>光驱总线</translation>
    </message>
    <message>
        <source>Network card</source>
        <translation>网卡</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>显卡</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Guest agent channel</source>
        <translation>客户机代理通道</translation>
    </message>
    <message>
        <source>Tablet</source>
        <translation>数位板</translation>
    </message>
    <message>
        <source>Random number generator</source>
        <translation>随机数生成器</translation>
    </message>
    <message>
        <source>Memory balloon</source>
        <translation>内存气球</translation>
    </message>
    <message>
        <source>Power management</source>
        <translation>电源管理</translation>
    </message>
    <message>
        <source>OS recorded</source>
        <translation>记录的操作系统</translation>
    </message>
    <message>
        <source>Install media afterwards</source>
        <translation>安装后的安装介质</translation>
    </message>
    <message>
        <source>the host&apos;s default</source>
        <translation>主机的默认值</translation>
    </message>
    <message>
        <source>BIOS</source>
        <translation>BIOS</translation>
    </message>
    <message>
        <source>TPM 2.0, emulated (swtpm)</source>
        <translation>TPM 2.0，模拟（swtpm）</translation>
    </message>
    <message>
        <source>QEMU&apos;s default model</source>
        <translation>QEMU 的默认型号</translation>
    </message>
    <message>
        <source>maximum (every feature QEMU emulates)</source>
        <translation>最大（QEMU 模拟的全部功能）</translation>
    </message>
    <message>
        <source>USB 3 (qemu-xhci, 15 ports)</source>
        <translation>USB 3（qemu-xhci，15 个端口）</translation>
    </message>
    <message>
        <source>USB 2 (EHCI with UHCI companions)</source>
        <translation>USB 2（EHCI 及 UHCI 配套控制器）</translation>
    </message>
    <message>
        <source>relaxed, vapic, spinlocks</source>
        <translation>relaxed、vapic、spinlocks</translation>
    </message>
    <message>
        <source>unmap</source>
        <translation>unmap</translation>
    </message>
    <message>
        <source>suspend to memory and to disk off</source>
        <translation>关闭挂起到内存和挂起到磁盘</translation>
    </message>
    <message>
        <source>kept in its drive</source>
        <translation>保留在驱动器中</translation>
    </message>
    <message>
        <source>ejected</source>
        <translation>已弹出</translation>
    </message>
    <message>
        <source>RTC catches up</source>
        <translation>RTC 追赶</translation>
    </message>
    <message>
        <source>PIT delays</source>
        <translation>PIT 延迟</translation>
    </message>
    <message>
        <source>no HPET</source>
        <translation>无 HPET</translation>
    </message>
    <message>
        <source>Hyper-V clock</source>
        <translation>Hyper-V 时钟</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>PCIe, SATA built in, Secure Boot possible.</source>
        <translation>PCIe，内置 SATA，可使用安全引导。</translation>
    </message>
    <message>
        <source>This host offers no q35 machine: the older i440FX (pc) instead.</source>
        <translation>此主机不提供 q35 机器类型：改用较旧的 i440FX（pc）。</translation>
    </message>
    <message>
        <source>The OS predates q35 (or is not known): the older i440FX (pc).</source>
        <translation>该操作系统早于 q35（或未知）：使用较旧的 i440FX（pc）。</translation>
    </message>
    <message>
        <source>The host does not list its machine types.</source>
        <translation>主机没有列出其机器类型。</translation>
    </message>
    <message>
        <source>The architecture&apos;s usual machine.</source>
        <translation>该架构的常用机器类型。</translation>
    </message>
    <message>
        <source>Chosen above.</source>
        <translation>已在上方选择。</translation>
    </message>
    <message>
        <source>The OS boots only with UEFI.</source>
        <translation>该操作系统只能通过 UEFI 引导。</translation>
    </message>
    <message>
        <source>The OS needs UEFI, but this host has no UEFI firmware (install ovmf): it may not boot with BIOS.</source>
        <translation>该操作系统需要 UEFI，但此主机没有 UEFI 固件（请安装 ovmf）：使用 BIOS 可能无法引导。</translation>
    </message>
    <message>
        <source>Boots faster and keeps internal snapshots working; choose UEFI above if needed.</source>
        <translation>引导更快，并且内部快照可以正常使用；如有需要，请在上方选择 UEFI。</translation>
    </message>
    <message>
        <source>Windows 11 installs only with Secure Boot.</source>
        <translation>Windows 11 只能在启用安全引导时安装。</translation>
    </message>
    <message>
        <source>Secure Boot needs the q35 machine type.</source>
        <translation>安全引导需要 q35 机器类型。</translation>
    </message>
    <message>
        <source>Windows 11 needs Secure Boot, but this host&apos;s UEFI firmware has none (install ovmf with Secure Boot): its installer will refuse.</source>
        <translation>Windows 11 需要安全引导，但此主机的 UEFI 固件不支持（请安装支持安全引导的 ovmf）：其安装程序将拒绝安装。</translation>
    </message>
    <message>
        <source>Windows 11 needs UEFI with Secure Boot, and this machine gets BIOS: its installer will refuse.</source>
        <translation>Windows 11 需要带安全引导的 UEFI，而此虚拟机使用 BIOS：其安装程序将拒绝安装。</translation>
    </message>
    <message>
        <source>Off: the OS does not need it.</source>
        <translation>关闭：该操作系统不需要它。</translation>
    </message>
    <message>
        <source>Windows 11 installs only with a TPM 2.0.</source>
        <translation>Windows 11 只能在有 TPM 2.0 时安装。</translation>
    </message>
    <message>
        <source>Windows 11 needs a TPM 2.0, but swtpm is not installed on this host: its installer will refuse.</source>
        <translation>Windows 11 需要 TPM 2.0，但此主机上未安装 swtpm：其安装程序将拒绝安装。</translation>
    </message>
    <message>
        <source>A UEFI machine is a modern platform: measured boot works.</source>
        <translation>UEFI 虚拟机是现代平台：可以使用度量引导。</translation>
    </message>
    <message>
        <source>The host CPU&apos;s every feature: fastest (not for migration to other CPUs).</source>
        <translation>主机 CPU 的全部功能：最快（不适合迁移到其他 CPU）。</translation>
    </message>
    <message>
        <source>Emulation: every CPU feature QEMU can emulate, as newer OSes need.</source>
        <translation>模拟：QEMU 可模拟的全部 CPU 功能，较新的操作系统需要这些功能。</translation>
    </message>
    <message>
        <source>Neither KVM nor QEMU&apos;s maximum CPU is offered here.</source>
        <translation>此处既不提供 KVM，也不提供 QEMU 的最大 CPU 型号。</translation>
    </message>
    <message>
        <source>Windows keeps local time in the hardware clock.</source>
        <translation>Windows 在硬件时钟中保存本地时间。</translation>
    </message>
    <message>
        <source>The hardware clock in UTC, as Linux and most OSes expect.</source>
        <translation>硬件时钟使用 UTC，这符合 Linux 和大多数操作系统的预期。</translation>
    </message>
    <message>
        <source>Steady time, and the Hyper-V clock keeps Windows&apos; time right.</source>
        <translation>时间稳定，Hyper-V 时钟使 Windows 的时间保持准确。</translation>
    </message>
    <message>
        <source>Steady time after pauses and under load; an HPET only costs time.</source>
        <translation>暂停后和负载下时间依然稳定；HPET 只会耗费时间。</translation>
    </message>
    <message>
        <source>Windows idles quietly and runs faster.</source>
        <translation>Windows 空闲时更安静，运行更快。</translation>
    </message>
    <message>
        <source>This host does not offer Hyper-V enlightenments.</source>
        <translation>此主机不提供 Hyper-V 优化。</translation>
    </message>
    <message>
        <source>Hyper-V enlightenments need KVM; emulation runs without them.</source>
        <translation>Hyper-V 优化需要 KVM；模拟方式运行时不使用它们。</translation>
    </message>
    <message>
        <source>The OS has USB 3 drivers.</source>
        <translation>该操作系统有 USB 3 驱动程序。</translation>
    </message>
    <message>
        <source>The OS has no USB 3 driver.</source>
        <translation>该操作系统没有 USB 3 驱动程序。</translation>
    </message>
    <message>
        <source>Room to hot-plug disks and network cards.</source>
        <translation>留有热插拔磁盘和网卡的余地。</translation>
    </message>
    <message>
        <source>The OS has virtio drivers: the fastest disk.</source>
        <translation>该操作系统有 virtio 驱动程序：最快的磁盘。</translation>
    </message>
    <message>
        <source>The virtio drivers CD is attached: in Windows Setup choose Load driver, then the CD&apos;s viostor folder, to see the disk.</source>
        <translation>已连接 virtio 驱动程序光盘：在 Windows 安装程序中选择“加载驱动程序”，然后选择光盘的 viostor 文件夹，即可看到磁盘。</translation>
    </message>
    <message>
        <source>The OS has no virtio driver: SATA, which it knows.</source>
        <translation>该操作系统没有 virtio 驱动程序：使用它支持的 SATA。</translation>
    </message>
    <message>
        <source>The OS has no virtio driver: IDE, which it knows.</source>
        <translation>该操作系统没有 virtio 驱动程序：使用它支持的 IDE。</translation>
    </message>
    <message>
        <source>q35&apos;s built-in SATA.</source>
        <translation>q35 内置的 SATA。</translation>
    </message>
    <message>
        <source>The i440FX machine&apos;s IDE.</source>
        <translation>i440FX 机器类型的 IDE。</translation>
    </message>
    <message>
        <source>The OS has virtio drivers: the fastest network card.</source>
        <translation>该操作系统有 virtio 驱动程序：最快的网卡。</translation>
    </message>
    <message>
        <source>The virtio drivers CD is attached: install NetKVM from it.</source>
        <translation>已连接 virtio 驱动程序光盘：请从中安装 NetKVM。</translation>
    </message>
    <message>
        <source>The OS has no virtio driver: an Intel card it knows.</source>
        <translation>该操作系统没有 virtio 驱动程序：使用它支持的 Intel 网卡。</translation>
    </message>
    <message>
        <source>A kernel booted directly shows its console on VGA.</source>
        <translation>直接引导的内核在 VGA 上显示其控制台。</translation>
    </message>
    <message>
        <source>The OS has a virtio-gpu driver.</source>
        <translation>该操作系统有 virtio-gpu 驱动程序。</translation>
    </message>
    <message>
        <source>Works with UEFI&apos;s display, without extra drivers.</source>
        <translation>可与 UEFI 的显示配合使用，无需额外驱动程序。</translation>
    </message>
    <message>
        <source>Works with every OS.</source>
        <translation>适用于所有操作系统。</translation>
    </message>
    <message>
        <source>A thin disk image: space freed in the guest returns to the host.</source>
        <translation>精简磁盘镜像：客户机中释放的空间会归还给主机。</translation>
    </message>
    <message>
        <source>A block device: freed space is passed on to it.</source>
        <translation>块设备：释放的空间会传递给它。</translation>
    </message>
    <message>
        <source>kvmdesk can ask the guest agent (qemu-guest-agent) for addresses, and shut down cleanly.</source>
        <translation>kvmdesk 可以向客户机代理（qemu-guest-agent）查询地址，并干净地关机。</translation>
    </message>
    <message>
        <source>Install the guest agent from the virtio drivers CD.</source>
        <translation>请从 virtio 驱动程序光盘安装客户机代理。</translation>
    </message>
    <message>
        <source>This host offers no unix channel: no guest agent.</source>
        <translation>此主机不提供 unix 通道：没有客户机代理。</translation>
    </message>
    <message>
        <source>The OS has no virtio-serial driver.</source>
        <translation>该操作系统没有 virtio-serial 驱动程序。</translation>
    </message>
    <message>
        <source>The pointer follows the mouse in the viewer.</source>
        <translation>在查看器中，指针跟随鼠标移动。</translation>
    </message>
    <message>
        <source>Entropy from the host: no waiting for randomness.</source>
        <translation>来自主机的熵：无需等待随机数。</translation>
    </message>
    <message>
        <source>The OS has no virtio-rng driver.</source>
        <translation>该操作系统没有 virtio-rng 驱动程序。</translation>
    </message>
    <message>
        <source>Memory can be given back to the host.</source>
        <translation>内存可以归还给主机。</translation>
    </message>
    <message>
        <source>The OS has no balloon driver: none, not an unknown device.</source>
        <translation>该操作系统没有气球驱动程序：不添加该设备，以免出现未知设备。</translation>
    </message>
    <message>
        <source>An ACPI shutdown request never puts the guest to sleep.</source>
        <translation>ACPI 关机请求绝不会让客户机进入睡眠。</translation>
    </message>
    <message>
        <source>Recorded in the definition, for later defaults and other tools.</source>
        <translation>记录在定义中，供以后的默认值和其他工具使用。</translation>
    </message>
    <message>
        <source>kvmdesk does not know this OS: generic defaults.</source>
        <translation>kvmdesk 不认识此操作系统：使用通用默认值。</translation>
    </message>
    <message>
        <source>Windows setup reads its media again after its first reboot.</source>
        <translation>Windows 安装程序在第一次重启后会再次读取其安装介质。</translation>
    </message>
    <message>
        <source>So that the installer does not start again.</source>
        <translation>以免安装程序再次启动。</translation>
    </message>
    <message>
        <source>Direct kernel boot is removed.</source>
        <translation>已移除直接内核引导。</translation>
    </message>
    <message>
        <source>Network (PXE) boot is removed.</source>
        <translation>已移除网络（PXE）引导。</translation>
    </message>
    <message>
        <source>It boots from its disk.</source>
        <translation>它从其磁盘引导。</translation>
    </message>
    <message>
        <source>The install media is ejected from drive {0}.</source>
        <translation>安装介质已从驱动器 {0} 中弹出。</translation>
    </message>
    <message>
        <source>The install media stays in its drive.</source>
        <translation>安装介质保留在其驱动器中。</translation>
    </message>
    <message>
        <source>Until then a reboot stops the machine, so that kvmdesk can make these changes; it starts it again.</source>
        <translation>在此之前，重启会使虚拟机停止，以便 kvmdesk 进行这些更改；之后 kvmdesk 会再次启动它。</translation>
    </message>
    <message>
        <source>UEFI</source>
        <translation>UEFI</translation>
    </message>
    <message>
        <source>UEFI firmware is not installed on this host.</source>
        <translation>此主机上未安装 UEFI 固件。</translation>
    </message>
    <message>
        <source>Operating system: {0}</source>
        <translation>操作系统：{0}</translation>
    </message>
    <message>
        <source>Memory: {0} MiB, CPUs: {1}</source>
        <translation>内存：{0} MiB，CPU：{1}</translation>
    </message>
    <message>
        <source>Storage: a new {0} GiB disk image in the pool {1}</source>
        <translation>存储：在存储池 {1} 中新建 {0} GiB 的磁盘镜像</translation>
    </message>
    <message>
        <source>Storage: {0}</source>
        <translation>存储：{0}</translation>
    </message>
    <message>
        <source>Storage: none</source>
        <translation>存储：无</translation>
    </message>
    <message>
        <source>Network: none</source>
        <translation>网络：无</translation>
    </message>
    <message>
        <source>Network: {0} {1}</source>
        <translation>网络：{0} {1}</translation>
    </message>
    <message>
        <source>Attach the virtio drivers ({0}) and use virtio devices</source>
        <translation>连接 virtio 驱动程序（{0}）并使用 virtio 设备</translation>
    </message>
    <message>
        <source>This host offers no virtualization for this architecture.</source>
        <translation>此主机不为该架构提供虚拟化。</translation>
    </message>
    <message>
        <source>This host has no running storage pool.</source>
        <translation>此主机没有正在运行的存储池。</translation>
    </message>
    <message>
        <source>This pool holds no files.</source>
        <translation>此存储池中没有文件。</translation>
    </message>
    <message>
        <source>Choose a file.</source>
        <translation>请选择一个文件。</translation>
    </message>
    <message>
        <source>New Virtual Machine — {0}</source>
        <translation>新建虚拟机 — {0}</translation>
    </message>
    <message>
        <source>Step {0} of {1}: {2}</source>
        <translation>第 {0} 步，共 {1} 步：{2}</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>创建(&amp;C)</translation>
    </message>
    <message>
        <source>Could not read the host&apos;s details: {0}</source>
        <translation>无法读取主机详情：{0}</translation>
    </message>
    <message>
        <source>Nothing was created.</source>
        <translation>没有创建任何内容。</translation>
    </message>
    <message>
        <source>Creating the disk image {0}…</source>
        <translation>正在创建磁盘镜像 {0}…</translation>
    </message>
    <message>
        <source>Defining {0}…</source>
        <translation>正在定义 {0}…</translation>
    </message>
    <message>
        <source>Starting {0}…</source>
        <translation>正在启动 {0}…</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>正在创建…</translation>
    </message>
    <message>
        <source>Could not create “{0}”: {1}</source>
        <translation>无法创建“{0}”：{1}</translation>
    </message>
    <message>
        <source>New Virtual Machine</source>
        <translation>新建虚拟机</translation>
    </message>
    <message>
        <source>&amp;Remove Disk Images</source>
        <translation>删除磁盘镜像(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Keep Them</source>
        <translation>保留它们(&amp;K)</translation>
    </message>
    <message>
        <source>The disk images were not removed: {0}</source>
        <translation>磁盘镜像未被删除：{0}</translation>
    </message>
    <message>
        <source>The new disk image {0} was deleted.</source>
        <translation>新的磁盘镜像 {0} 已删除。</translation>
    </message>
    <message>
        <source>The disk image {0} could not be deleted: {1}</source>
        <translation>无法删除磁盘镜像 {0}：{1}</translation>
    </message>
    <message>
        <source>The connection to the host may have dropped: check the host&apos;s storage pools for a new disk image once it is back.</source>
        <translation>到主机的连接可能已断开：主机恢复后，请检查其存储池中是否有新的磁盘镜像。</translation>
    </message>
    <message>
        <source>“{0}” is already a disk of: {1}.</source>
        <translation>“{0}”已经是以下虚拟机的磁盘：{1}。</translation>
    </message>
    <message>
        <source>CPUs</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>{0}: enter a whole number, like 2048 (not “{1}”).</source>
        <translation>{0}：请输入整数，例如 2048（而不是“{1}”）。</translation>
    </message>
    <message>
        <source>{0} cannot be negative.</source>
        <translation>{0}不能为负数。</translation>
    </message>
    <message>
        <source>{0} must be at least 1.</source>
        <translation>{0}至少为 1。</translation>
    </message>
    <message>
        <source>“{0}” leads to {1}, which is already a disk of: {2}.</source>
        <translation>“{0}”指向 {1}，它已经是以下虚拟机的磁盘：{2}。</translation>
    </message>
    <message>
        <source>{0} is mounted on {1}</source>
        <translation>{0} 挂载在 {1} 上</translation>
    </message>
    <message>
        <source>{0} is used as swap</source>
        <translation>{0} 被用作交换空间</translation>
    </message>
    <message>
        <source>{0} is built on it</source>
        <translation>{0} 建立在它之上</translation>
    </message>
    <message>
        <source>the kernel keeps it open</source>
        <translation>内核保持其打开</translation>
    </message>
    <message>
        <source>“{0}” is a block device of the host ({1}). kvmdesk cannot see from here whether the host uses it: make sure nothing else does.</source>
        <translation>“{0}”是主机的块设备（{1}）。kvmdesk 无法从这里看出主机是否在使用它：请确保没有其他程序在使用它。</translation>
    </message>
    <message>
        <source>“{0}”</source>
        <translation>“{0}”</translation>
    </message>
    <message>
        <source>“{0}” (that is {1})</source>
        <translation>“{0}”（即 {1}）</translation>
    </message>
    <message>
        <source>Warning: {0} is a whole disk of this host, and the host uses it: {1}. A virtual machine that writes to it can destroy the host&apos;s data.</source>
        <translation>警告：{0}是此主机的整块磁盘，并且主机正在使用它：{1}。写入它的虚拟机可能会破坏主机的数据。</translation>
    </message>
    <message>
        <source>Warning: {0} is a partition of this host&apos;s disk, and the host uses it: {1}. A virtual machine that writes to it can destroy the host&apos;s data.</source>
        <translation>警告：{0}是此主机磁盘的一个分区，并且主机正在使用它：{1}。写入它的虚拟机可能会破坏主机的数据。</translation>
    </message>
    <message>
        <source>{0} is a whole disk of this host. The virtual machine gets all of it; the host must not use it meanwhile.</source>
        <translation>{0}是此主机的整块磁盘。虚拟机将获得整块磁盘；在此期间主机不得使用它。</translation>
    </message>
    <message>
        <source>{0} is a partition of this host&apos;s disk. The virtual machine gets all of it; the host must not use it meanwhile.</source>
        <translation>{0}是此主机磁盘的一个分区。虚拟机将获得整个分区；在此期间主机不得使用它。</translation>
    </message>
    <message>
        <source>Memory: this host has at most {0} MiB.</source>
        <translation>内存：此主机最多有 {0} MiB。</translation>
    </message>
    <message>
        <source>CPUs: this host has at most {0}.</source>
        <translation>CPU：此主机最多有 {0} 个。</translation>
    </message>
    <message>
        <source>{0}: “{1}” is refused.</source>
        <translation>{0}：“{1}”被拒绝。</translation>
    </message>
    <message>
        <source>Enter a name for the virtual machine.</source>
        <translation>请输入虚拟机的名称。</translation>
    </message>
    <message>
        <source>The name is too long: at most {0} characters.</source>
        <translation>名称太长：最多 {0} 个字符。</translation>
    </message>
    <message>
        <source>A name cannot contain line breaks or control characters.</source>
        <translation>名称不能包含换行符或控制字符。</translation>
    </message>
    <message>
        <source>A name cannot contain &lt; &gt; &amp; &quot; or &apos;.</source>
        <translation>名称不能包含 &lt; &gt; &amp; &quot; 或 &apos;。</translation>
    </message>
    <message>
        <source>A name cannot contain invisible characters or characters that change the direction of text: {0}.</source>
        <translation>名称不能包含不可见字符或改变文字方向的字符：{0}。</translation>
    </message>
    <message>
        <source>A name cannot start or end with a space.</source>
        <translation>名称不能以空格开头或结尾。</translation>
    </message>
    <message>
        <source>The name “{0}” is already taken on this host.</source>
        <translation>此主机上已有名为“{0}”的虚拟机。</translation>
    </message>
    <message>
        <source>Disk size: enter a number of GiB, like 20 (not “{0}”).</source>
        <translation>磁盘大小：请输入以 GiB 为单位的数字，例如 20（而不是“{0}”）。</translation>
    </message>
    <message>
        <source>The disk size cannot be negative.</source>
        <translation>磁盘大小不能为负数。</translation>
    </message>
    <message>
        <source>The disk size must be larger than zero.</source>
        <translation>磁盘大小必须大于零。</translation>
    </message>
    <message>
        <source>The storage pool has only {0} free.</source>
        <translation>该存储池只剩 {0} 可用空间。</translation>
    </message>
    <message>
        <source>Enter a path.</source>
        <translation>请输入路径。</translation>
    </message>
    <message>
        <source>Enter an absolute path, starting with “/”: “{0}”.</source>
        <translation>请输入以“/”开头的绝对路径：“{0}”。</translation>
    </message>
    <message>
        <source>The path cannot contain “..”: “{0}”.</source>
        <translation>路径不能包含“..”：“{0}”。</translation>
    </message>
    <message>
        <source>The path cannot contain line breaks or control characters.</source>
        <translation>路径不能包含换行符或控制字符。</translation>
    </message>
    <message>
        <source>There is no file “{0}”.</source>
        <translation>没有文件“{0}”。</translation>
    </message>
    <message>
        <source>“{0}” is not in a storage pool of the host. On a remote host, choose the file from a storage pool.</source>
        <translation>“{0}”不在主机的存储池中。对于远程主机，请从存储池中选择文件。</translation>
    </message>
    <message>
        <source>The storage pool “{0}” no longer exists.</source>
        <translation>存储池“{0}”已不存在。</translation>
    </message>
    <message>
        <source>The storage pool “{0}” is not running. Start it first.</source>
        <translation>存储池“{0}”未运行。请先启动它。</translation>
    </message>
    <message>
        <source>Disk images can be qcow2 or raw, not “{0}”.</source>
        <translation>磁盘镜像可以是 qcow2 或 raw，而不是“{0}”。</translation>
    </message>
    <message>
        <source>“{0}” is refused ({1}).</source>
        <translation>“{0}”被拒绝（{1}）。</translation>
    </message>
    <message>
        <source>Could not create the disk image {0}.</source>
        <translation>无法创建磁盘镜像 {0}。</translation>
    </message>
    <message>
        <source>The host refused the definition of “{0}”.</source>
        <translation>主机拒绝了“{0}”的定义。</translation>
    </message>
    <message>
        <source>“{0}” was created but could not be started.</source>
        <translation>“{0}”已创建，但无法启动。</translation>
    </message>
    <message>
        <source>Could not create “{0}”.</source>
        <translation>无法创建“{0}”。</translation>
    </message>
    <message>
        <source>libvirt: {0}</source>
        <translation>libvirt：{0}</translation>
    </message>
    <message>
        <source>The virtual machine “{0}” still exists: {1}</source>
        <translation>虚拟机“{0}”仍然存在：{1}</translation>
    </message>
    <message>
        <source>The definition of “{0}” was removed again.</source>
        <translation>“{0}”的定义已再次删除。</translation>
    </message>
    <message>
        <source>The new disk image {0} was deleted again.</source>
        <translation>新的磁盘镜像 {0} 已再次删除。</translation>
    </message>
    <message>
        <source>The disk image {0} may still exist: {1}</source>
        <translation>磁盘镜像 {0} 可能仍然存在：{1}</translation>
    </message>
    <message>
        <source>Nothing of it is left on the host; existing disks were not touched.</source>
        <translation>主机上没有留下任何内容；现有磁盘未被改动。</translation>
    </message>
    <message>
        <source>Existing disks were not touched.</source>
        <translation>现有磁盘未被改动。</translation>
    </message>
    <message>
        <source>checking the plan with the host</source>
        <translation>正在向主机核对计划</translation>
    </message>
    <message>
        <source>defining “{0}”</source>
        <translation>正在定义“{0}”</translation>
    </message>
    <message>
        <source>starting “{0}”</source>
        <translation>正在启动“{0}”</translation>
    </message>
    <message>
        <source>creating the disk image {0}</source>
        <translation>正在创建磁盘镜像 {0}</translation>
    </message>
    <message>
        <source>The new disk images and the virtual machine may or may not exist: look at the host&apos;s storage pools and virtual machines once it is back.</source>
        <translation>新的磁盘镜像和虚拟机可能存在也可能不存在：主机恢复后，请查看主机的存储池和虚拟机。</translation>
    </message>
    <message>
        <source>The virtual machine “{0}” exists and is running.</source>
        <translation>虚拟机“{0}”存在并正在运行。</translation>
    </message>
    <message>
        <source>The virtual machine “{0}” exists and is shut off.</source>
        <translation>虚拟机“{0}”存在并处于关闭状态。</translation>
    </message>
    <message>
        <source>The virtual machine “{0}” was not defined.</source>
        <translation>虚拟机“{0}”未被定义。</translation>
    </message>
    <message>
        <source>The new disk image {0} exists and is its disk.</source>
        <translation>新的磁盘镜像 {0} 存在，并且是它的磁盘。</translation>
    </message>
    <message>
        <source>The new disk image {0} exists, unused.</source>
        <translation>新的磁盘镜像 {0} 存在，但未被使用。</translation>
    </message>
    <message>
        <source>Customize the new virtual machine</source>
        <translation>自定义新虚拟机</translation>
    </message>
    <message>
        <source>Nothing has been created yet. Edit the definition, then choose Create; libvirt checks it against its schema.</source>
        <translation>尚未创建任何内容。编辑定义后选择“创建”；libvirt 会根据其架构对其进行检查。</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
    <message>
        <source>XML</source>
        <translation>XML</translation>
    </message>
    <message>
        <source>DOCTYPE and ENTITY declarations are refused.</source>
        <translation>拒绝 DOCTYPE 和 ENTITY 声明。</translation>
    </message>
    <message>
        <source>The XML is not well-formed: {0}</source>
        <translation>XML 格式不正确：{0}</translation>
    </message>
    <message>
        <source>The document must be a &lt;domain&gt;, not &lt;{0}&gt;.</source>
        <translation>文档必须是 &lt;domain&gt;，而不是 &lt;{0}&gt;。</translation>
    </message>
    <message>
        <source>Line {0}, column {1}: {2}</source>
        <translation>第 {0} 行，第 {1} 列：{2}</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) failed:</source>
        <translation>
            <numerusform>%n 个操作失败：</numerusform>
        </translation>
    </message>
    <message>
        <source>captured just now</source>
        <translation>刚刚截取</translation>
    </message>
    <message numerus="yes">
        <source>captured %n s ago</source>
        <translation>
            <numerusform>%n 秒前截取</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>captured %n min ago</source>
        <translation>
            <numerusform>%n 分钟前截取</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>captured %n h ago</source>
        <translation>
            <numerusform>%n 小时前截取</numerusform>
        </translation>
    </message>
    <message>
        <source>the boot order (from the disk)</source>
        <translation>引导顺序（从磁盘引导）</translation>
    </message>
    <message>
        <source>the direct kernel boot (removed)</source>
        <translation>直接内核引导（已移除）</translation>
    </message>
    <message>
        <source>what a reboot does (restart instead of stopping)</source>
        <translation>重启时的行为（重新启动而不是停止）</translation>
    </message>
    <message>
        <source>the install media in drive {0} (ejected)</source>
        <translation>驱动器 {0} 中的安装介质（已弹出）</translation>
    </message>
    <message>
        <source>“{0}” has finished installing: it now boots from its disk and was started again.</source>
        <translation>“{0}”已完成安装：它现在从其磁盘引导，并已再次启动。</translation>
    </message>
    <message>
        <source>“{0}” has finished installing: it now boots from its disk.</source>
        <translation>“{0}”已完成安装：它现在从其磁盘引导。</translation>
    </message>
    <message>
        <source>These parts of its definition were changed during the install and were left as they are: {0}. Check them in the XML tab.</source>
        <translation>其定义的以下部分在安装期间被更改，因此保持原样：{0}。请在 XML 标签页中检查它们。</translation>
    </message>
    <message>
        <source>It could not be started again: {0}</source>
        <translation>无法再次启动它：{0}</translation>
    </message>
    <message>
        <source>Installation finished</source>
        <translation>安装完成</translation>
    </message>
    <message>
        <source>The definition of a new virtual machine ({0}) could not be switched to boot from its disk: {1}</source>
        <translation>无法将新虚拟机（{0}）的定义切换为从其磁盘引导：{1}</translation>
    </message>
    <message>
        <source>kvmdesk tries again after its next connection to the host.</source>
        <translation>kvmdesk 会在下次连接到主机后再次尝试。</translation>
    </message>
    <message>
        <source>Chosen for this operating system:</source>
        <translation>为此操作系统选择：</translation>
    </message>
    <message>
        <source>After the install:</source>
        <translation>安装后：</translation>
    </message>
    <message>
        <source>Windows has no virtio drivers of its own: SATA and an Intel network card are slower. Put virtio-win.iso in a storage pool of the host to be offered the virtio drivers.</source>
        <translation>Windows 本身没有 virtio 驱动程序：SATA 和 Intel 网卡较慢。将 virtio-win.iso 放入主机的某个存储池中，即可获得 virtio 驱动程序。</translation>
    </message>
    <message>
        <source>after step {0} of {1} ({2})</source>
        <translation>在第 {0} 步（共 {1} 步，{2}）之后</translation>
    </message>
    <message>
        <source>during step {0} of {1} ({2})</source>
        <translation>在第 {0} 步（共 {1} 步，{2}）期间</translation>
    </message>
    <message>
        <source>The connection was lost {0}; checking…</source>
        <translation>连接{0}断开；正在检查…</translation>
    </message>
    <message>
        <source>The connection was lost {0}.</source>
        <translation>连接{0}断开。</translation>
    </message>
    <message>
        <source>kvmdesk could not check what the host has now, because the connection did not come back. Check it once the host is reachable again.</source>
        <translation>由于连接没有恢复，kvmdesk 无法检查主机现在的状态。请在主机恢复可访问后检查。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Current vCPUs ({0}) cannot be more than the maximum ({1}).</source>
        <translation>当前 vCPU 数（{0}）不能大于最大值（{1}）。</translation>
    </message>
    <message>
        <source>Current memory ({0} MiB) cannot be more than the maximum ({1} MiB).</source>
        <translation>当前内存（{0} MiB）不能大于最大内存（{1} MiB）。</translation>
    </message>
    <message>
        <source>Sockets, cores and threads must each be at least 1.</source>
        <translation>插槽、核心和线程数都必须至少为 1。</translation>
    </message>
    <message>
        <source>Sockets, cores and threads cannot be negative.</source>
        <translation>插槽、核心和线程数不能为负数。</translation>
    </message>
    <message>
        <source>Sockets × cores × threads ({0}) must equal the maximum vCPUs ({1}).</source>
        <translation>插槽 × 核心 × 线程（{0}）必须等于最大 vCPU 数（{1}）。</translation>
    </message>
    <message>
        <source>“{0}” is not a MAC address: write six pairs of hex digits, like 52:54:00:12:34:56.</source>
        <translation>“{0}”不是 MAC 地址：请写六组两位十六进制数字，例如 52:54:00:12:34:56。</translation>
    </message>
    <message>
        <source>“{0}” is a multicast MAC address (its first byte is odd); a NIC needs a unicast one.</source>
        <translation>“{0}”是组播 MAC 地址（第一个字节为奇数）；网卡需要单播地址。</translation>
    </message>
    <message>
        <source>Type the password the display should ask for.</source>
        <translation>请输入显示应要求的密码。</translation>
    </message>
    <message>
        <source>A VNC password can have at most {0} characters.</source>
        <translation>VNC 密码最多只能有 {0} 个字符。</translation>
    </message>
    <message>
        <source>Choose a device of the host.</source>
        <translation>请选择主机的一个设备。</translation>
    </message>
    <message>
        <source>Type the path of the file on the host.</source>
        <translation>请输入主机上文件的路径。</translation>
    </message>
    <message>
        <source>“{0}” is not a full path: it must start with /.</source>
        <translation>“{0}”不是完整路径：它必须以 / 开头。</translation>
    </message>
    <message>
        <source>Type the channel&apos;s name, such as org.qemu.guest_agent.0.</source>
        <translation>请输入通道名称，例如 org.qemu.guest_agent.0。</translation>
    </message>
    <message>
        <source>Type the folder of the host to share.</source>
        <translation>请输入要共享的主机文件夹。</translation>
    </message>
    <message>
        <source>Type the tag the guest mounts the share by.</source>
        <translation>请输入客户机挂载此共享所用的标签。</translation>
    </message>
    <message>
        <source>Shared memory stays on: the virtiofs share “{0}” needs it. Remove the share first.</source>
        <translation>共享内存保持开启：virtiofs 共享“{0}”需要它。请先移除该共享。</translation>
    </message>
    <message>
        <source>Type the host to connect the USB redirection to.</source>
        <translation>请输入 USB 重定向要连接的主机。</translation>
    </message>
    <message>
        <source>“{0}” is not a port number (1 to 65535).</source>
        <translation>“{0}”不是端口号（1 到 65535）。</translation>
    </message>
    <message>
        <source>Choose a virtual network.</source>
        <translation>请选择一个虚拟网络。</translation>
    </message>
    <message>
        <source>The machine type of this virtual machine does not support the {0} bus.</source>
        <translation>此虚拟机的机器类型不支持 {0} 总线。</translation>
    </message>
    <message>
        <source>Memory cannot be negative.</source>
        <translation>内存不能为负数。</translation>
    </message>
    <message>
        <source>An ISA serial port cannot be added to a running guest; a PCI serial port can.</source>
        <translation>ISA 串口无法添加到正在运行的客户机；PCI 串口可以。</translation>
    </message>
    <message>
        <source>A console cannot be added to a running guest.</source>
        <translation>控制台无法添加到正在运行的客户机。</translation>
    </message>
    <message>
        <source>A 9p share cannot be added to a running guest; a virtiofs share can.</source>
        <translation>9p 共享无法添加到正在运行的客户机；virtiofs 共享可以。</translation>
    </message>
    <message>
        <source>A virtiofs share needs shared memory, which the running guest does not have.</source>
        <translation>virtiofs 共享需要共享内存，而正在运行的客户机没有共享内存。</translation>
    </message>
    <message>
        <source>The running guest has no virtio-serial controller for this channel.</source>
        <translation>正在运行的客户机没有可供此通道使用的 virtio-serial 控制器。</translation>
    </message>
    <message>
        <source>Only a SCSI controller can be added to a running guest.</source>
        <translation>只有 SCSI 控制器可以添加到正在运行的客户机。</translation>
    </message>
    <message>
        <source>It is added for the next boot.</source>
        <translation>它将在下次启动时添加。</translation>
    </message>
    <message>
        <source>This virtual machine is transient: it has no next boot to add it to.</source>
        <translation>此虚拟机是临时的：没有可供添加的下次启动。</translation>
    </message>
    <message>
        <source>Also passed through to: {0}. Only one running guest can use it at a time.</source>
        <translation>也直通给了：{0}。同一时间只有一个运行中的客户机能使用它。</translation>
    </message>
    <message>
        <source>The MAC address {0} is already used by: {1}.</source>
        <translation>MAC 地址 {0} 已被以下虚拟机使用：{1}。</translation>
    </message>
    <message>
        <source>set the vCPUs to {0}</source>
        <translation>将 vCPU 设为 {0}</translation>
    </message>
    <message>
        <source>set the memory to {0} MiB</source>
        <translation>将内存设为 {0} MiB</translation>
    </message>
    <message>
        <source>add the device</source>
        <translation>添加设备</translation>
    </message>
    <message>
        <source>remove the device</source>
        <translation>移除设备</translation>
    </message>
    <message>
        <source>change the device</source>
        <translation>更改设备</translation>
    </message>
    <message>
        <source>Applied now and saved for the next boot.</source>
        <translation>已立即应用，并已保存供下次启动使用。</translation>
    </message>
    <message>
        <source>Saved. The change takes effect at the next boot.</source>
        <translation>已保存。更改在下次启动时生效。</translation>
    </message>
    <message>
        <source>Saved. The change takes effect at the next boot: the guest must be restarted.</source>
        <translation>已保存。更改在下次启动时生效：必须重新启动客户机。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Applied to the running guest only; the next boot is unchanged.</source>
        <translation>仅应用于正在运行的客户机；下次启动不变。</translation>
    </message>
    <message>
        <source>Nothing needed to change.</source>
        <translation>无需更改任何内容。</translation>
    </message>
    <message>
        <source>the guest refused to release the device</source>
        <translation>客户机拒绝释放该设备</translation>
    </message>
    <message>
        <source>the guest did not release the device</source>
        <translation>客户机没有释放该设备</translation>
    </message>
    <message>
        <source>Could not {0} now: {1}</source>
        <translation>无法立即{0}：{1}</translation>
    </message>
    <message>
        <source>The change is saved and pending until the guest restarts.</source>
        <translation>更改已保存，将在客户机重新启动后生效。</translation>
    </message>
    <message>
        <source>libvirt did not keep: {0}</source>
        <translation>libvirt 没有保留：{0}</translation>
    </message>
    <message>
        <source>{0} (used by: {1})</source>
        <translation>{0}（使用者：{1}）</translation>
    </message>
    <message>
        <source>Your changes are still in the forms.</source>
        <translation>您的更改仍在表单中。</translation>
    </message>
    <message>
        <source>kvmdesk read the definition again after reconnecting: your changes are stored. The list shows what the running guest has now.</source>
        <translation>kvmdesk 在重新连接后再次读取了定义：您的更改已保存。列表显示正在运行的客户机当前的状态。</translation>
    </message>
    <message>
        <source>kvmdesk read the definition again after reconnecting: your changes are not stored. They are still in the forms; Apply saves them.</source>
        <translation>kvmdesk 在重新连接后再次读取了定义：您的更改未保存。它们仍在表单中；“应用”会保存它们。</translation>
    </message>
    <message>
        <source>Changes take effect at the next boot.</source>
        <translation>更改将在下次引导时生效。</translation>
    </message>
    <message>
        <source>reading the stored definition</source>
        <translation>正在读取已存储的定义</translation>
    </message>
    <message>
        <source>saving the new definition</source>
        <translation>正在保存新的定义</translation>
    </message>
    <message>
        <source>reading back what was stored</source>
        <translation>正在读回已存储的内容</translation>
    </message>
    <message>
        <source>Your edit is still in the editor.</source>
        <translation>您的编辑仍在编辑器中。</translation>
    </message>
    <message>
        <source>kvmdesk read the definition again after reconnecting: your edit is stored.</source>
        <translation>重新连接后 kvmdesk 再次读取了定义：您的编辑已存储。</translation>
    </message>
    <message>
        <source>kvmdesk read the definition again after reconnecting: your edit is not stored. It is still in the editor; Apply saves it.</source>
        <translation>重新连接后 kvmdesk 再次读取了定义：您的编辑没有存储。它仍在编辑器中；“应用”会保存它。</translation>
    </message>
    <message>
        <source>Not saved: this connection may not read the virtual machine&apos;s passwords, and saving the definition without them would delete the password of its VNC or SPICE display. Use a connection with full access to edit it.</source>
        <translation>未保存：此连接无法读取虚拟机的密码，不带这些密码保存定义会删除其 VNC 或 SPICE 显示的密码。请使用具有完全访问权限的连接来编辑它。</translation>
    </message>
    <message>
        <source>A hidden password was copied or moved ({0}). Show the passwords and type it there again.</source>
        <translation>一个隐藏的密码被复制或移动了（{0}）。请显示密码并在那里重新输入。</translation>
    </message>
    <message>
        <source>Show &amp;Passwords</source>
        <translation>显示密码(&amp;P)</translation>
    </message>
    <message>
        <source>Show the VNC and SPICE passwords in the XML instead of dots</source>
        <translation>在 XML 中显示 VNC 和 SPICE 密码，而不是圆点</translation>
    </message>
    <message>
        <source>Hide &amp;Passwords</source>
        <translation>隐藏密码(&amp;P)</translation>
    </message>
    <message>
        <source>This replaces the definition of “{0}”.</source>
        <translation>这将替换“{0}”的定义。</translation>
    </message>
    <message>
        <source>A virtual machine with the same name and UUID exists on this connection. Defining the file replaces its definition: the shaded lines change. Disks that are no longer in the definition are not deleted, but it no longer uses them.</source>
        <translation>此连接上已存在具有相同名称和 UUID 的虚拟机。定义此文件将替换其定义：有阴影的行会更改。不再出现在定义中的磁盘不会被删除，但虚拟机不再使用它们。</translation>
    </message>
    <message>
        <source>&amp;Replace</source>
        <translation>替换(&amp;R)</translation>
    </message>
    <message>
        <source>A virtual machine with the same name and UUID exists on this connection and is shut off. Creating the file starts it with this definition in place of its own (the shaded lines differ) until it shuts down.</source>
        <translation>此连接上已存在具有相同名称和 UUID 的虚拟机，并且处于关闭状态。创建此文件会使用此定义代替它自己的定义启动它（有阴影的行是不同之处），直到它关机。</translation>
    </message>
    <message>
        <source>&amp;Replace and Start</source>
        <translation>替换并启动(&amp;R)</translation>
    </message>
    <message>
        <source>Replace Virtual Machine</source>
        <translation>替换虚拟机</translation>
    </message>
    <message>
        <source>Defined now: {0}</source>
        <translation>现在的定义：{0}</translation>
    </message>
    <message>
        <source>From the file</source>
        <translation>来自文件</translation>
    </message>
    <message>
        <source>The name belongs to “{0}” and the UUID to “{1}”. Change the name and the UUID (or remove the &lt;uuid&gt; line) to add a new virtual machine.</source>
        <translation>名称属于“{0}”，UUID 属于“{1}”。请更改名称和 UUID（或删除 &lt;uuid&gt; 行）以添加新的虚拟机。</translation>
    </message>
    <message>
        <source>“{0}” has this name and UUID and is running. Shut it down first, or change the name and the UUID to create another one.</source>
        <translation>“{0}”具有此名称和 UUID，并且正在运行。请先将其关机，或更改名称和 UUID 以创建另一个虚拟机。</translation>
    </message>
    <message>
        <source>A virtual machine named “{0}” already exists, with another UUID ({1}). Change the name to add a new one; to replace its definition, the file must have its UUID.</source>
        <translation>已存在名为“{0}”的虚拟机，其 UUID 不同（{1}）。请更改名称以添加新的虚拟机；要替换其定义，文件中必须使用它的 UUID。</translation>
    </message>
    <message>
        <source>The UUID {0} belongs to “{1}”. Change the UUID (or remove the &lt;uuid&gt; line) to add a new virtual machine.</source>
        <translation>UUID {0} 属于“{1}”。请更改 UUID（或删除 &lt;uuid&gt; 行）以添加新的虚拟机。</translation>
    </message>
    <message>
        <source>checking the name and UUID</source>
        <translation>正在检查名称和 UUID</translation>
    </message>
    <message>
        <source>defining</source>
        <translation>正在定义</translation>
    </message>
    <message>
        <source>creating and starting</source>
        <translation>正在创建并启动</translation>
    </message>
    <message>
        <source>reading back the new virtual machine</source>
        <translation>正在读回新的虚拟机</translation>
    </message>
    <message>
        <source>The XML is still here.</source>
        <translation>XML 仍在这里。</translation>
    </message>
    <message>
        <source>“{0}” was defined.</source>
        <translation>“{0}”已定义。</translation>
    </message>
    <message>
        <source>“{0}” was created and is running.</source>
        <translation>“{0}”已创建并正在运行。</translation>
    </message>
    <message>
        <source>Nothing was defined; the XML is still here.</source>
        <translation>没有定义任何内容；XML 仍在这里。</translation>
    </message>
    <message>
        <source>Nothing was created; the XML is still here.</source>
        <translation>没有创建任何内容；XML 仍在这里。</translation>
    </message>
    <message>
        <source>“{0}” exists, but its definition differs both from the one it had and from this XML; kvmdesk cannot tell whether it holds this XML.</source>
        <translation>“{0}”存在，但其定义既不同于原来的定义，也不同于此 XML；kvmdesk 无法判断它是否包含此 XML。</translation>
    </message>
    <message>
        <source>After reconnecting, kvmdesk read the host again.</source>
        <translation>重新连接后，kvmdesk 再次读取了主机。</translation>
    </message>
    <message>
        <source>keeping a copy of its definition</source>
        <translation>正在保存其定义的副本</translation>
    </message>
    <message>
        <source>forcing it off</source>
        <translation>正在强制关闭它</translation>
    </message>
    <message>
        <source>removing its definition</source>
        <translation>正在删除其定义</translation>
    </message>
    <message>
        <source>deleting {0}</source>
        <translation>正在删除 {0}</translation>
    </message>
    <message>
        <source>Whether “{0}” and the chosen storage still exist is not known: look at the host once it is back.</source>
        <translation>不知道“{0}”和所选的存储是否仍然存在：主机恢复后请查看主机。</translation>
    </message>
    <message>
        <source>After reconnecting, kvmdesk read the host again:</source>
        <translation>重新连接后，kvmdesk 再次读取了主机：</translation>
    </message>
    <message>
        <source>Virtual machine “{0}” still exists.</source>
        <translation>虚拟机“{0}”仍然存在。</translation>
    </message>
    <message>
        <source>Still there: {0}</source>
        <translation>仍然存在：{0}</translation>
    </message>
    <message>
        <source>No storage files were to be deleted.</source>
        <translation>没有需要删除的存储文件。</translation>
    </message>
    <message>
        <source>&amp;Delete Them</source>
        <translation>删除它们(&amp;D)</translation>
    </message>
    <message>
        <source>Could not delete</source>
        <translation>无法删除</translation>
    </message>
    <message>
        <source>A password or secret was removed from the connection URI.</source>
        <translation>已从连接 URI 中删除密码或机密。</translation>
    </message>
    <message>
        <source>A password in the definition was left out of the file; run as written, the command removes that password.</source>
        <translation>定义中的密码未写入文件；按原样运行此命令会删除该密码。</translation>
    </message>
    <message>
        <source>The command reads a definition kvmdesk wrote; Save as Script writes it too.</source>
        <translation>该命令读取 kvmdesk 写出的定义文件；“另存为脚本”也会写出该文件。</translation>
    </message>
    <message>
        <source>No single virsh command makes this change; this defines the saved XML.</source>
        <translation>没有单条 virsh 命令能完成此更改；此命令定义保存后的 XML。</translation>
    </message>
    <message>
        <source>virsh saves the image in the format the hypervisor sends (PPM from QEMU); kvmdesk saves a PNG.</source>
        <translation>virsh 按虚拟机管理程序发送的格式保存图像（QEMU 为 PPM）；kvmdesk 保存为 PNG。</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Failed: {0}</source>
        <translation>失败：{0}</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>The command appears once the input is valid.</source>
        <translation>输入有效后将显示命令。</translation>
    </message>
    <message>
        <source>Command &amp;Log</source>
        <translation>命令日志(&amp;L)</translation>
    </message>
    <message>
        <source>Show the virsh command of each action</source>
        <translation>显示每个操作对应的 virsh 命令</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>The command appears once the choices are complete.</source>
        <translation>选择完成后将显示命令。</translation>
    </message>
    <message>
        <source>{0} (at character {1})</source>
        <translation>{0}（在第 {1} 个字符处）</translation>
    </message>
    <message>
        <source>The search is too long.</source>
        <translation>搜索内容过长。</translation>
    </message>
    <message>
        <source>“NOT” needs a term after it.</source>
        <translation>“NOT”后面需要一个条件。</translation>
    </message>
    <message>
        <source>“OR” needs a term on each side.</source>
        <translation>“OR”两侧都需要条件。</translation>
    </message>
    <message>
        <source>This quote is not closed.</source>
        <translation>此引号没有闭合。</translation>
    </message>
    <message>
        <source>“{0}” needs a term after it.</source>
        <translation>“{0}”后面需要一个条件。</translation>
    </message>
    <message>
        <source>Unknown field “{0}”: use one of {1}, or put the text in quotes.</source>
        <translation>未知字段“{0}”：请使用 {1} 之一，或将文字放在引号中。</translation>
    </message>
    <message>
        <source>“{0}” compares text: use “{0}:”.</source>
        <translation>“{0}”比较的是文字：请使用“{0}:”。</translation>
    </message>
    <message>
        <source>“{0}:” needs a value after it.</source>
        <translation>“{0}:”后面需要一个值。</translation>
    </message>
    <message>
        <source>Unknown state “{0}”: use one of {1}.</source>
        <translation>未知状态“{0}”：请使用 {1} 之一。</translation>
    </message>
    <message>
        <source>“{0}” needs a number after it.</source>
        <translation>“{0}”后面需要一个数字。</translation>
    </message>
    <message>
        <source>“{0}” is not a number.</source>
        <translation>“{0}”不是数字。</translation>
    </message>
    <message>
        <source>Unknown unit “{0}”: use K, M, G or T.</source>
        <translation>未知单位“{0}”：请使用 K、M、G 或 T。</translation>
    </message>
    <message>
        <source>CPU is compared in percent, as in “cpu&gt;50%”.</source>
        <translation>CPU 按百分比比较，例如“cpu&gt;50%”。</translation>
    </message>
    <message>
        <source>No Tags</source>
        <translation>无标签</translation>
    </message>
    <message>
        <source>Unknown OS</source>
        <translation>未知操作系统</translation>
    </message>
    <message>
        <source>No Group</source>
        <translation>未分组</translation>
    </message>
    <message numerus="yes">
        <source>%n virtual machine(s)</source>
        <translation>
            <numerusform>%n 台虚拟机</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n host(s)</source>
        <translation>
            <numerusform>%n 台主机</numerusform>
        </translation>
    </message>
    <message>
        <source>Shut Down</source>
        <translation>关机</translation>
    </message>
    <message>
        <source>Shut down {0} on {1}?</source>
        <translation>要关闭 {1} 上的 {0} 吗？</translation>
    </message>
    <message>
        <source>Reboot</source>
        <translation>重启</translation>
    </message>
    <message>
        <source>Reboot {0} on {1}?</source>
        <translation>要重启 {1} 上的 {0} 吗？</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Pause {0} on {1}?</source>
        <translation>要暂停 {1} 上的 {0} 吗？</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save {0} on {1}?</source>
        <translation>要保存 {1} 上的 {0} 吗？</translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>还有 %n 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{0} {1} of %n host(s) done</source>
        <translation>
            <numerusform>{0} 已完成 {1}/%n 台主机</numerusform>
        </translation>
    </message>
    <message>
        <source>A tag cannot be empty.</source>
        <translation>标签不能为空。</translation>
    </message>
    <message>
        <source>“{0}” is too long: a tag has at most 64 characters.</source>
        <translation>“{0}”太长：标签最多 64 个字符。</translation>
    </message>
    <message>
        <source>“{0}” cannot be a tag: no spaces, commas, quotes or invisible characters.</source>
        <translation>“{0}”不能作为标签：不能包含空格、逗号、引号或不可见字符。</translation>
    </message>
    <message>
        <source>A virtual machine can have at most 64 tags.</source>
        <translation>一台虚拟机最多可以有 64 个标签。</translation>
    </message>
    <message>
        <source>its tags were written by another program in a form kvmdesk cannot read</source>
        <translation>其标签由另一个程序以 kvmdesk 无法读取的形式写入</translation>
    </message>
    <message>
        <source>it no longer exists</source>
        <translation>它已不存在</translation>
    </message>
    <message numerus="yes">
        <source>Changing the tags of %n virtual machine(s)…</source>
        <translation>
            <numerusform>正在更改 %n 台虚拟机的标签…</numerusform>
        </translation>
    </message>
    <message>
        <source>{0} on {1}: {2}</source>
        <translation>{1} 上的 {0}：{2}</translation>
    </message>
    <message>
        <source>Could not change tags</source>
        <translation>无法更改标签</translation>
    </message>
    <message numerus="yes">
        <source>%n virtual machine(s) kept their tags:</source>
        <translation>
            <numerusform>%n 台虚拟机保留了原有标签：</numerusform>
        </translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>型号：</translation>
    </message>
    <message>
        <source>When the guest hangs:</source>
        <translation>客户机挂起时：</translation>
    </message>
    <message>
        <source>Bus:</source>
        <translation>总线：</translation>
    </message>
    <message>
        <source>Hypervisor default</source>
        <translation>虚拟机管理程序默认值</translation>
    </message>
    <message>
        <source>Your unapplied changes are shown again. Apply saves them; Revert discards them.</source>
        <translation>您未应用的更改已再次显示。“应用”会保存它们；“还原”会放弃它们。</translation>
    </message>
    <message>
        <source>Unapplied Hardware Changes</source>
        <translation>未应用的硬件更改</translation>
    </message>
    <message>
        <source>Some hardware changes are not applied.</source>
        <translation>部分硬件更改尚未应用。</translation>
    </message>
    <message>
        <source>Changed and not applied: {0}.
Discard these changes and quit?</source>
        <translation>已更改但未应用：{0}。
放弃这些更改并退出吗？</translation>
    </message>
    <message>
        <source>The change takes effect at the next start.</source>
        <translation>更改在下次启动时生效。</translation>
    </message>
    <message>
        <source>The change is made on the running guest only (it is transient).</source>
        <translation>更改仅在正在运行的客户机上进行（它是临时的）。</translation>
    </message>
    <message>
        <source>The change is made on the running guest now and kept for the next boot.</source>
        <translation>更改立即在正在运行的客户机上进行，并保留到下次启动。</translation>
    </message>
    <message>
        <source>The disk image {0} is kept: removing a disk here never deletes its storage.</source>
        <translation>磁盘映像 {0} 会保留：在此移除磁盘绝不会删除其存储。</translation>
    </message>
    <message>
        <source>The guest loses this network connection.</source>
        <translation>客户机将失去此网络连接。</translation>
    </message>
    <message>
        <source>Remove Device</source>
        <translation>移除设备</translation>
    </message>
    <message>
        <source>Remove {0} from this virtual machine?</source>
        <translation>从此虚拟机中移除 {0}？</translation>
    </message>
    <message>
        <source>Creating the disk image…</source>
        <translation>正在创建磁盘映像…</translation>
    </message>
    <message>
        <source>The new disk image {0} could not be deleted: {1}</source>
        <translation>无法删除新磁盘映像 {0}：{1}</translation>
    </message>
    <message>
        <source>This virtual machine has a SPICE display, which kvmdesk cannot show live.</source>
        <translation>此虚拟机使用 SPICE 显示，kvmdesk 无法实时显示它。</translation>
    </message>
    <message>
        <source>This virtual machine has no graphical display.</source>
        <translation>此虚拟机没有图形显示。</translation>
    </message>
    <message>
        <source>ssh could not be started: {0}</source>
        <translation>无法启动 ssh：{0}</translation>
    </message>
    <message>
        <source>This host cannot hand out its displays.</source>
        <translation>此主机无法提供其虚拟机的显示。</translation>
    </message>
    <message>
        <source>The display refused to be taken over: it only allows shared connections, and another client holds it.</source>
        <translation>显示拒绝被接管：它只允许共享连接，而另一个客户端正占用它。</translation>
    </message>
    <message>
        <source>Another client (virt-viewer, virt-manager, remote-viewer…) holds the display exclusively, and it refuses a shared connection.</source>
        <translation>另一个客户端（virt-viewer、virt-manager、remote-viewer…）独占了此显示，因此它拒绝共享连接。</translation>
    </message>
    <message>
        <source>The ssh tunnel failed: {0}</source>
        <translation>ssh 隧道失败：{0}</translation>
    </message>
    <message>
        <source>The display closed the connection.</source>
        <translation>显示关闭了连接。</translation>
    </message>
    <message>
        <source>The display closed the connection before it was shown.</source>
        <translation>显示在画面出现之前关闭了连接。</translation>
    </message>
    <message>
        <source>The display asks for a password.</source>
        <translation>显示要求输入密码。</translation>
    </message>
    <message>
        <source>The display refused the password: {0}</source>
        <translation>显示拒绝了该密码：{0}</translation>
    </message>
    <message>
        <source>The display asks for a kind of authentication kvmdesk does not speak (security types {0}).</source>
        <translation>显示要求一种 kvmdesk 不支持的身份验证方式（安全类型 {0}）。</translation>
    </message>
    <message>
        <source>The display refused the connection: {0}</source>
        <translation>显示拒绝了连接：{0}</translation>
    </message>
    <message>
        <source>The display sent data kvmdesk does not accept: {0}</source>
        <translation>显示发送了 kvmdesk 不接受的数据：{0}</translation>
    </message>
    <message>
        <source>kvmdesk shows displays of local connections and of connections over ssh; this one uses {0}.</source>
        <translation>kvmdesk 可以显示本地连接和 ssh 连接上的虚拟机显示；此连接使用的是 {0}。</translation>
    </message>
    <message>
        <source>The display has neither a port nor a socket on the host.</source>
        <translation>此显示在主机上既没有端口也没有套接字。</translation>
    </message>
    <message>
        <source>The display stopped answering.</source>
        <translation>显示已停止响应。</translation>
    </message>
    <message>
        <source>Connecting to the display…</source>
        <translation>正在连接到显示…</translation>
    </message>
    <message>
        <source>kvmdesk attaches again by itself when it can.</source>
        <translation>kvmdesk 会在可能时自动重新连接。</translation>
    </message>
    <message>
        <source>Not running</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>Its display shows here by itself once it starts.</source>
        <translation>虚拟机启动后，其显示会自动出现在这里。</translation>
    </message>
    <message>
        <source>No graphical display</source>
        <translation>没有图形显示</translation>
    </message>
    <message>
        <source>kvmdesk can add a VNC display to its definition. It takes effect the next time the virtual machine starts.</source>
        <translation>kvmdesk 可以在其定义中添加 VNC 显示。下次启动虚拟机时生效。</translation>
    </message>
    <message>
        <source>SPICE display</source>
        <translation>SPICE 显示</translation>
    </message>
    <message>
        <source>The Screenshot tab shows its screen. kvmdesk can add a VNC display, which it shows live here from the next boot.</source>
        <translation>“屏幕截图”选项卡可以显示其屏幕。kvmdesk 可以添加一个 VNC 显示，从下次引导起在此实时显示。</translation>
    </message>
    <message>
        <source>Password needed</source>
        <translation>需要密码</translation>
    </message>
    <message>
        <source>This connection may not read the password from the definition. Enter it to connect; it is not saved.</source>
        <translation>此连接无权从定义中读取密码。请输入密码以连接；密码不会被保存。</translation>
    </message>
    <message>
        <source>Password refused</source>
        <translation>密码被拒绝</translation>
    </message>
    <message>
        <source>Enter the display&apos;s password (graphics passwd in the XML) to try again.</source>
        <translation>请输入显示的密码（XML 中 graphics 的 passwd）后重试。</translation>
    </message>
    <message>
        <source>Display taken by another client</source>
        <translation>显示已被另一个客户端占用</translation>
    </message>
    <message>
        <source>Close the other viewer, or take the display over: the other client is disconnected. kvmdesk asks again every 5 seconds and shows the display as soon as it is free.</source>
        <translation>请关闭另一个查看器，或接管此显示：另一个客户端将被断开。kvmdesk 每 5 秒重新询问一次，显示一旦空闲就会在此显示。</translation>
    </message>
    <message>
        <source>Cannot connect</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>No virtual machine selected.</source>
        <translation>未选择虚拟机。</translation>
    </message>
    <message>
        <source>absolute pointer</source>
        <translation>绝对指针</translation>
    </message>
    <message>
        <source>relative pointer: click to grab, {0} releases</source>
        <translation>相对指针：单击以捕获，按 {0} 释放</translation>
    </message>
    <message>
        <source>Connected: {0}×{1}, {2}</source>
        <translation>已连接：{0}×{1}，{2}</translation>
    </message>
    <message>
        <source>Clone “{0}” as “{1}”</source>
        <translation>将“{0}”克隆为“{1}”</translation>
    </message>
    <message>
        <source>Save “{0}”</source>
        <translation>保存“{0}”</translation>
    </message>
    <message>
        <source>Restore “{0}”</source>
        <translation>恢复“{0}”的已保存状态</translation>
    </message>
    <message>
        <source>Create snapshot “{0}”</source>
        <translation>创建快照“{0}”</translation>
    </message>
    <message>
        <source>Revert to snapshot “{0}”</source>
        <translation>恢复到快照“{0}”</translation>
    </message>
    <message>
        <source>Delete snapshot “{0}”</source>
        <translation>删除快照“{0}”</translation>
    </message>
    <message>
        <source>Upload “{0}” to pool “{1}”</source>
        <translation>将“{0}”上传到存储池“{1}”</translation>
    </message>
    <message>
        <source>Could not take the snapshot</source>
        <translation>无法创建快照</translation>
    </message>
    <message>
        <source>Revert to Snapshot</source>
        <translation>恢复到快照</translation>
    </message>
    <message>
        <source>Revert “{0}” to snapshot “{1}”?</source>
        <translation>将“{0}”恢复到快照“{1}”吗？</translation>
    </message>
    <message>
        <source>The virtual machine&apos;s present state is lost: every change its disks took since the snapshot and, if it is running, its memory. Take a snapshot first to keep it.</source>
        <translation>虚拟机的当前状态将会丢失：自该快照以来磁盘上的所有更改，以及（如果正在运行）其内存。若要保留，请先创建快照。</translation>
    </message>
    <message>
        <source>Take Snapshot First…</source>
        <translation>先创建快照…</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Could not revert to the snapshot</source>
        <translation>无法恢复到快照</translation>
    </message>
    <message>
        <source>libvirt on this host cannot delete external snapshots.</source>
        <translation>此主机上的 libvirt 无法删除外部快照。</translation>
    </message>
    <message>
        <source>Delete Snapshot</source>
        <translation>删除快照</translation>
    </message>
    <message>
        <source>Delete snapshot “{0}”?</source>
        <translation>删除快照“{0}”吗？</translation>
    </message>
    <message>
        <source>The virtual machine itself stays as it is now.</source>
        <translation>虚拟机本身保持现状。</translation>
    </message>
    <message numerus="yes">
        <source>Also delete the %n snapshot(s) taken after it from this one</source>
        <translation>
            <numerusform>同时删除在此快照之后创建的 %n 个快照</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Could not delete the snapshot</source>
        <translation>无法删除快照</translation>
    </message>
    <message>
        <source>(none listed)</source>
        <translation>（未列出）</translation>
    </message>
    <message>
        <source>Snapshot “{0}” is external and libvirt cannot delete it.</source>
        <translation>快照“{0}”是外部快照，libvirt 无法删除它。</translation>
    </message>
    <message>
        <source>{0}

You can remove it from the list only: libvirt forgets it, and its files stay where they are:
{1}</source>
        <translation>{0}

您可以仅将其从列表中移除：libvirt 不再记录它，其文件保留在原处：
{1}</translation>
    </message>
    <message>
        <source>Remove from List Only</source>
        <translation>仅从列表中移除</translation>
    </message>
    <message>
        <source>Could not remove the snapshot from the list</source>
        <translation>无法将快照从列表中移除</translation>
    </message>
    <message>
        <source>Edit Description</source>
        <translation>编辑描述</translation>
    </message>
    <message>
        <source>Description of snapshot “{0}”:</source>
        <translation>快照“{0}”的描述：</translation>
    </message>
    <message>
        <source>Could not change the description</source>
        <translation>无法更改描述</translation>
    </message>
    <message>
        <source>Some snapshots were not taken</source>
        <translation>部分快照未能创建</translation>
    </message>
    <message>
        <source>Disk {0} is not a qcow2 image; internal snapshots live inside qcow2 images. Take a disk-only snapshot, or convert the disk to qcow2.</source>
        <translation>磁盘 {0} 不是 qcow2 映像；内部快照保存在 qcow2 映像中。请创建仅磁盘快照，或将磁盘转换为 qcow2。</translation>
    </message>
    <message>
        <source>The running virtual machine has no qcow2 disk to keep its memory in. Shut it down first, or add a qcow2 disk.</source>
        <translation>正在运行的虚拟机没有可保存其内存的 qcow2 磁盘。请先关闭它，或添加一个 qcow2 磁盘。</translation>
    </message>
    <message>
        <source>This virtual machine boots with UEFI firmware in flash memory; internal snapshots of such machines need libvirt 10.10 or later (the host has {0}). Take a disk-only snapshot instead.</source>
        <translation>此虚拟机使用闪存中的 UEFI 固件启动；此类虚拟机的内部快照需要 libvirt 10.10 或更高版本（该主机为 {0}）。请改为创建仅磁盘快照。</translation>
    </message>
    <message>
        <source>The virtual machine has no writable disk to take a disk-only snapshot of.</source>
        <translation>该虚拟机没有可创建仅磁盘快照的可写磁盘。</translation>
    </message>
    <message>
        <source>Disk {0} is not a file or block device; libvirt cannot put an overlay on it.</source>
        <translation>磁盘 {0} 不是文件或块设备；libvirt 无法在其上创建覆盖层。</translation>
    </message>
    <message>
        <source>Enter a name for the snapshot.</source>
        <translation>请输入快照名称。</translation>
    </message>
    <message>
        <source>A snapshot name cannot contain “/”.</source>
        <translation>快照名称不能包含“/”。</translation>
    </message>
    <message>
        <source>A snapshot name cannot contain control or invisible characters.</source>
        <translation>快照名称不能包含控制字符或不可见字符。</translation>
    </message>
    <message>
        <source>A snapshot called “{0}” already exists.</source>
        <translation>名为“{0}”的快照已存在。</translation>
    </message>
    <message>
        <source>Disk only (external): an overlay file per disk, the memory is not kept</source>
        <translation>仅磁盘（外部）：每个磁盘一个覆盖文件，不保留内存</translation>
    </message>
    <message>
        <source>Internal, with memory: the disks and the running state, inside the qcow2 images</source>
        <translation>内部，含内存：磁盘和运行状态，保存在 qcow2 映像中</translation>
    </message>
    <message>
        <source>Internal: the disks of the shut-off virtual machine, inside the qcow2 images</source>
        <translation>内部：已关闭虚拟机的磁盘，保存在 qcow2 映像中</translation>
    </message>
    <message>
        <source>External, with memory</source>
        <translation>外部，含内存</translation>
    </message>
    <message>
        <source>External, disks only</source>
        <translation>外部，仅磁盘</translation>
    </message>
    <message>
        <source>Internal, with memory</source>
        <translation>内部，含内存</translation>
    </message>
    <message>
        <source>Internal, disks only</source>
        <translation>内部，仅磁盘</translation>
    </message>
    <message>
        <source>Shut off</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Running (disks only)</source>
        <translation>运行中（仅磁盘）</translation>
    </message>
    <message>
        <source>Upload a File to the Pool</source>
        <translation>上传文件到存储池</translation>
    </message>
    <message>
        <source>Name of the new volume:</source>
        <translation>新卷的名称：</translation>
    </message>
    <message>
        <source>Upload to Pool {0}</source>
        <translation>上传到存储池 {0}</translation>
    </message>
    <message>
        <source>Cannot read {0}: {1}</source>
        <translation>无法读取 {0}：{1}</translation>
    </message>
    <message>
        <source>“{0}” is running. Choose to pause it while its disks are copied, or to copy it while it runs.</source>
        <translation>“{0}”正在运行。请选择在复制其磁盘时暂停它，或在其运行时复制。</translation>
    </message>
    <message>
        <source>“{0}” is not a MAC address a network card can have.</source>
        <translation>“{0}”不是网卡可以使用的 MAC 地址。</translation>
    </message>
    <message>
        <source>The MAC address {0} is already used on this host.</source>
        <translation>MAC 地址 {0} 已在此主机上使用。</translation>
    </message>
    <message>
        <source>Disk {0} is not in a storage pool, so libvirt cannot copy it. Share it or skip it.</source>
        <translation>磁盘 {0} 不在存储池中，libvirt 无法复制它。请共享或跳过它。</translation>
    </message>
    <message>
        <source>A volume called “{0}” appeared meanwhile. Try again.</source>
        <translation>此间出现了名为“{0}”的卷。请重试。</translation>
    </message>
    <message>
        <source>Storage pool “{0}” lacks {1} for the copies.</source>
        <translation>存储池“{0}”缺少 {1} 来存放副本。</translation>
    </message>
    <message>
        <source>Clone</source>
        <translation>克隆</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>共享</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Cannot clone the virtual machine</source>
        <translation>无法克隆虚拟机</translation>
    </message>
    <message>
        <source>Clone not made</source>
        <translation>未创建克隆</translation>
    </message>
    <message>
        <source>The connection was lost during the clone; the clone was not made.</source>
        <translation>克隆期间连接丢失；未创建克隆。</translation>
    </message>
    <message>
        <source>What it had made was removed.</source>
        <translation>克隆已创建的内容已被删除。</translation>
    </message>
    <message>
        <source>Could not clone “{0}”</source>
        <translation>无法克隆“{0}”</translation>
    </message>
    <message>
        <source>{0} h {1:02} min</source>
        <translation>{0} 小时 {1:02} 分</translation>
    </message>
    <message>
        <source>{0} min {1:02} s</source>
        <translation>{0} 分 {1:02} 秒</translation>
    </message>
    <message>
        <source>{0} s</source>
        <translation>{0} 秒</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Result unknown — checking after the connection is back…</source>
        <translation>结果未知——连接恢复后将进行检查…</translation>
    </message>
    <message>
        <source>Done (checked after the connection came back)</source>
        <translation>完成（连接恢复后已核实）</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Result unknown: {0}</source>
        <translation>结果未知：{0}</translation>
    </message>
    <message>
        <source>Result unknown: the connection did not come back</source>
        <translation>结果未知：连接未能恢复</translation>
    </message>
    <message>
        <source>Not done: the connection was lost, and the host shows it did not happen</source>
        <translation>未完成：连接丢失，主机显示该操作未执行</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>{0} — {1}</source>
        <translation>{0} — {1}</translation>
    </message>
    <message>
        <source>Together</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Connections:</source>
        <translation>连接：</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Virtual machines</source>
        <translation>虚拟机</translation>
    </message>
    <message numerus="yes">
        <source>%n virtual machine(s) selected</source>
        <translation>
            <numerusform>已选择 %n 个虚拟机</numerusform>
        </translation>
    </message>
    <message>
        <source>mixed: {0}</source>
        <translation>混合：{0}</translation>
    </message>
    <message>
        <source>{0} in all</source>
        <translation>共 {0}</translation>
    </message>
    <message>
        <source>Delete Virtual Machines</source>
        <translation>删除虚拟机</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n virtual machine(s)?</source>
        <translation>
            <numerusform>删除 %n 个虚拟机？</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete All</source>
        <translation>全部删除</translation>
    </message>
    <message numerus="yes">
        <source>%n of {0} virtual machines deleted completely.</source>
        <translation>
            <numerusform>{0} 个虚拟机中有 %n 个已完全删除。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n virtual machine(s) deleted.</source>
        <translation>
            <numerusform>已删除 %n 个虚拟机。</numerusform>
        </translation>
    </message>
    <message>
        <source>Demo host</source>
        <translation>演示主机</translation>
    </message>
    <message>
        <source>No hypervisor answered on this computer, so kvmdesk opened its demo host: its virtual machines are not real, and nothing done to them reaches a real machine. To manage real virtual machines, install libvirt and start libvirtd (on Debian: apt install libvirt-daemon-system), then restart kvmdesk; or add a remote host with Add Connection.</source>
        <translation>这台计算机上没有虚拟机管理程序响应，因此 kvmdesk 打开了演示主机：其中的虚拟机不是真实的，对它们所做的操作不会影响任何真实机器。要管理真实的虚拟机，请安装 libvirt 并启动 libvirtd（Debian 上：apt install libvirt-daemon-system），然后重新启动 kvmdesk；或者通过“添加连接”添加远程主机。</translation>
    </message>
    <message>
        <source>Add Connection…</source>
        <translation>添加连接…</translation>
    </message>
    <message>
        <source>Close this message</source>
        <translation>关闭此消息</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>无响应</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <source>Ctrl+Alt+Shift</source>
        <translation>Ctrl+Alt+Shift</translation>
    </message>
    <message>
        <source>Ctrl+Alt</source>
        <translation>Ctrl+Alt</translation>
    </message>
    <message>
        <source>Right Ctrl</source>
        <translation>右 Ctrl</translation>
    </message>
    <message>
        <source>From the SPICE viewer</source>
        <translation>来自 SPICE 查看器</translation>
    </message>
    <message>
        <source>From a usbredir server (TCP)</source>
        <translation>来自 usbredir 服务器（TCP）</translation>
    </message>
    <message>
        <source>virtiofs (needs shared memory)</source>
        <translation>virtiofs（需要共享内存）</translation>
    </message>
    <message>
        <source>9p (virtio-9p)</source>
        <translation>9p（virtio-9p）</translation>
    </message>
    <message>
        <source>the machine runs on at the source</source>
        <translation>虚拟机仍在源主机上运行</translation>
    </message>
    <message>
        <source>downtime {0} ms</source>
        <translation>停机 {0} 毫秒</translation>
    </message>
    <message>
        <source>Migrate “{0}” to {1}</source>
        <translation>将“{0}”迁移到 {1}</translation>
    </message>
    <message>
        <source>expected {0}</source>
        <translation>预计{0}</translation>
    </message>
    <message>
        <source>Save “{0}” to {1}</source>
        <translation>将“{0}”保存到 {1}</translation>
    </message>
    <message>
        <source>Restore “{0}” from {1}</source>
        <translation>从 {1} 恢复“{0}”</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>The destination is the host the virtual machine is on (the same host UUID). Choose another host.</source>
        <translation>目标就是虚拟机所在的主机（主机 UUID 相同）。请选择其他主机。</translation>
    </message>
    <message>
        <source>The destination already has a virtual machine called {0}.</source>
        <translation>目标上已有名为 {0} 的虚拟机。</translation>
    </message>
    <message>
        <source>The destination already has this virtual machine&apos;s UUID, called {0}.</source>
        <translation>目标上已有使用此虚拟机 UUID 的虚拟机，名为 {0}。</translation>
    </message>
    <message>
        <source>{0} already runs on the destination.</source>
        <translation>{0} 已在目标上运行。</translation>
    </message>
    <message>
        <source>The destination&apos;s CPU lacks features the virtual machine needs: {0}.</source>
        <translation>目标的 CPU 缺少虚拟机所需的特性：{0}。</translation>
    </message>
    <message>
        <source>The destination has no network {0}.</source>
        <translation>目标上没有网络 {0}。</translation>
    </message>
    <message>
        <source>The destination&apos;s network {0} is not started.</source>
        <translation>目标上的网络 {0} 未启动。</translation>
    </message>
    <message>
        <source>The destination has no storage pool {0}.</source>
        <translation>目标上没有存储池 {0}。</translation>
    </message>
    <message>
        <source>To copy the disks, the destination needs a storage pool for the folder {0}.</source>
        <translation>要复制磁盘，目标需要一个对应文件夹 {0} 的存储池。</translation>
    </message>
    <message>
        <source>To copy only the changes, the destination must already have the disk image {0} over the same base image. Copy it there first, or copy every disk.</source>
        <translation>若只复制变更，目标主机上必须已有基于同一基础镜像的磁盘镜像 {0}。请先把它复制过去，或复制全部磁盘。</translation>
    </message>
    <message>
        <source>{0} is not a host name or address.</source>
        <translation>{0} 不是主机名或地址。</translation>
    </message>
    <message>
        <source>The edited definition must keep the virtual machine&apos;s UUID.</source>
        <translation>编辑后的定义必须保留虚拟机的 UUID。</translation>
    </message>
    <message>
        <source>The edited definition is not valid: {0}</source>
        <translation>编辑后的定义无效：{0}</translation>
    </message>
    <message>
        <source>A machine that is shut off moves without its disks; they cannot be copied.</source>
        <translation>已关闭的虚拟机迁移时不带磁盘；磁盘无法复制。</translation>
    </message>
    <message>
        <source>The bandwidth limit cannot be negative.</source>
        <translation>带宽限制不能为负数。</translation>
    </message>
    <message>
        <source>The virtual machine started or stopped meanwhile. Open Migrate again.</source>
        <translation>虚拟机在此期间已启动或停止。请重新打开“迁移”。</translation>
    </message>
    <message>
        <source>Nowhere to migrate to</source>
        <translation>没有可迁移到的主机</translation>
    </message>
    <message>
        <source>Migration needs a second open connection: the host to move the machine to.</source>
        <translation>迁移需要另一个已打开的连接：即要将虚拟机迁移到的主机。</translation>
    </message>
    <message>
        <source>Add or connect the destination host first (File → Add Connection).</source>
        <translation>请先添加或连接目标主机（文件 → 添加连接）。</translation>
    </message>
    <message>
        <source>Cannot migrate the virtual machine</source>
        <translation>无法迁移虚拟机</translation>
    </message>
    <message>
        <source>Could not migrate “{0}”</source>
        <translation>无法迁移“{0}”</translation>
    </message>
    <message>
        <source>Enter the path of the file on the host.</source>
        <translation>请输入该文件在主机上的路径。</translation>
    </message>
    <message>
        <source>The path holds control characters.</source>
        <translation>路径中含有控制字符。</translation>
    </message>
    <message>
        <source>Enter a full path, starting with “/”.</source>
        <translation>请输入以“/”开头的完整路径。</translation>
    </message>
    <message>
        <source>Save “{0}” to a File</source>
        <translation>将“{0}”保存到文件</translation>
    </message>
    <message>
        <source>The memory is written to the file and the machine stops; Run restores it.</source>
        <translation>内存会写入该文件，然后虚拟机停止；“运行”可将其恢复。</translation>
    </message>
    <message>
        <source>Could not save “{0}”</source>
        <translation>无法保存“{0}”</translation>
    </message>
    <message>
        <source>Could not restore from {0}</source>
        <translation>无法从 {0} 恢复</translation>
    </message>
    <message>
        <source>“{0}”, which the file holds, is running.</source>
        <translation>该文件中保存的“{0}”正在运行。</translation>
    </message>
    <message>
        <source>Shut it down first; restoring would replace what it is doing now.</source>
        <translation>请先将其关机；恢复会替换它当前的运行状态。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>“{0}” was saved to a file. Restore it?</source>
        <translation>“{0}”已保存到文件。要恢复它吗？</translation>
    </message>
    <message>
        <source>Restore goes on where it was saved, from {0}. Start Fresh boots it anew: the saved state is then out of date, and kvmdesk forgets the file (it is not deleted).</source>
        <translation>“恢复”会从 {0} 接着保存时的状态继续运行。“重新启动”会重新引导它：保存的状态随之过时，kvmdesk 不再记录该文件（文件不会被删除）。</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>Start &amp;Fresh</source>
        <translation>重新启动(&amp;F)</translation>
    </message>
    <message>
        <source>The display&apos;s socket path on the host is not a plain path: {0}</source>
        <translation>主机上此显示的套接字路径不是普通路径：{0}</translation>
    </message>
    <message>
        <source>OpenSSH socket forwarding</source>
        <translation>OpenSSH 套接字转发</translation>
    </message>
    <message>
        <source>The display listens on a socket on the host ({0}), and ssh could not reach it: {1}. Allow socket forwarding in the host&apos;s sshd (AllowStreamLocalForwarding), or install socat on the host.</source>
        <translation>此显示在主机上监听一个套接字（{0}），ssh 无法连到它：{1}。请在主机的 sshd 中允许套接字转发（AllowStreamLocalForwarding），或在主机上安装 socat。</translation>
    </message>
    <message>
        <source>ssh did not set up the forward within {0} s</source>
        <translation>ssh 未能在 {0} 秒内建立转发</translation>
    </message>
    <message>
        <source>the display did not answer</source>
        <translation>显示没有应答</translation>
    </message>
    <message>
        <source>the connection was closed at once</source>
        <translation>连接被立即关闭</translation>
    </message>
    <message>
        <source>not installed on the host</source>
        <translation>主机上未安装</translation>
    </message>
    <message>
        <source>ssh ended without a word</source>
        <translation>ssh 退出且未给出任何信息</translation>
    </message>
    <message>
        <source>not reported</source>
        <translation>未报告</translation>
    </message>
    <message>
        <source>Read: {0}
Write: {1}</source>
        <translation>读取：{0}
写入：{1}</translation>
    </message>
    <message>
        <source>In: {0}
Out: {1}</source>
        <translation>接收：{0}
发送：{1}</translation>
    </message>
</context>
<context>
    <name>AddConnectionDialog</name>
    <message>
        <source>Add Connection</source>
        <translation>添加连接</translation>
    </message>
    <message>
        <source>QEMU/KVM</source>
        <translation>QEMU/KVM</translation>
    </message>
    <message>
        <source>QEMU/KVM user session</source>
        <translation>QEMU/KVM 用户会话</translation>
    </message>
    <message>
        <source>Test driver (file)</source>
        <translation>测试驱动程序（文件）</translation>
    </message>
    <message>
        <source>Custom URI</source>
        <translation>自定义 URI</translation>
    </message>
    <message>
        <source>Empty: libvirt&apos;s built-in test host</source>
        <translation>留空：libvirt 内置的测试主机</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Connect to &amp;remote host over SSH</source>
        <translation>通过 SSH 连接到远程主机(&amp;R)</translation>
    </message>
    <message>
        <source>Empty: ssh&apos;s default</source>
        <translation>留空：使用 ssh 的默认值</translation>
    </message>
    <message>
        <source>I understand, use this URI anyway</source>
        <translation>我了解风险，仍然使用此 URI</translation>
    </message>
    <message>
        <source>Remember for later starts</source>
        <translation>以后启动时也记住</translation>
    </message>
    <message>
        <source>Without this, the URI is checked again at the next start and is not opened until you accept it again.</source>
        <translation>不勾选时，下次启动会再次检查此 URI，在您再次接受之前不会打开它。</translation>
    </message>
    <message>
        <source>Autoconnect</source>
        <translation>自动连接</translation>
    </message>
    <message>
        <source>&amp;Hypervisor:</source>
        <translation>虚拟机管理程序(&amp;H)：</translation>
    </message>
    <message>
        <source>U&amp;ser name:</source>
        <translation>用户名(&amp;S)：</translation>
    </message>
    <message>
        <source>Hos&amp;t name:</source>
        <translation>主机名(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>文件(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;URI:</source>
        <translation>URI(&amp;U)：</translation>
    </message>
    <message>
        <source>Generated URI:</source>
        <translation>生成的 URI：</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Edit Connection</source>
        <translation>编辑连接</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Driver: {0}</source>
        <translation>驱动程序：{0}</translation>
    </message>
    <message>
        <source>Transport: {0}</source>
        <translation>传输方式：{0}</translation>
    </message>
    <message>
        <source>User: {0}</source>
        <translation>用户：{0}</translation>
    </message>
    <message>
        <source>Host: {0}</source>
        <translation>主机：{0}</translation>
    </message>
    <message>
        <source>Port: {0}</source>
        <translation>端口：{0}</translation>
    </message>
    <message>
        <source>Path: {0}</source>
        <translation>路径：{0}</translation>
    </message>
    <message>
        <source>This URI is unsafe:</source>
        <translation>此 URI 不安全：</translation>
    </message>
    <message>
        <source>Choose a Test Driver Host File</source>
        <translation>选择测试驱动程序主机文件</translation>
    </message>
    <message>
        <source>libvirt test driver XML (*.xml);;All files (*)</source>
        <translation>libvirt 测试驱动程序 XML (*.xml);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>AddHardwareDialog</name>
    <message>
        <source>Add Hardware</source>
        <translation>添加硬件</translation>
    </message>
    <message>
        <source>Disk: an existing image</source>
        <translation>磁盘：现有映像</translation>
    </message>
    <message>
        <source>Disk: a new image in a storage pool</source>
        <translation>磁盘：存储池中的新映像</translation>
    </message>
    <message>
        <source>CD-ROM</source>
        <translation>光驱</translation>
    </message>
    <message>
        <source>Network interface</source>
        <translation>网络接口</translation>
    </message>
    <message>
        <source>USB or PCI host device</source>
        <translation>USB 或 PCI 主机设备</translation>
    </message>
    <message>
        <source>Serial port</source>
        <translation>串口</translation>
    </message>
    <message>
        <source>Channel (the guest agent&apos;s, SPICE …)</source>
        <translation>通道（客户机代理、SPICE……）</translation>
    </message>
    <message>
        <source>Filesystem share (virtiofs or 9p)</source>
        <translation>文件系统共享（virtiofs 或 9p）</translation>
    </message>
    <message>
        <source>USB redirection</source>
        <translation>USB 重定向</translation>
    </message>
    <message>
        <source>Controller</source>
        <translation>控制器</translation>
    </message>
    <message>
        <source>Random number generator</source>
        <translation>随机数生成器</translation>
    </message>
    <message>
        <source>TPM 2.0 (emulated)</source>
        <translation>TPM 2.0（模拟）</translation>
    </message>
    <message>
        <source>chosen by libvirt</source>
        <translation>由 libvirt 选择</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <source>Bus:</source>
        <translation>总线：</translation>
    </message>
    <message>
        <source>Storage pool:</source>
        <translation>存储池：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <source>Virtual network:</source>
        <translation>虚拟网络：</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>型号：</translation>
    </message>
    <message>
        <source>MAC address:</source>
        <translation>MAC 地址：</translation>
    </message>
    <message>
        <source>Add:</source>
        <translation>添加：</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>This host has no USB or PCI device to pass through.</source>
        <translation>此主机没有可直通的 USB 或 PCI 设备。</translation>
    </message>
</context>
<context>
    <name>AskpassDialog</name>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Unknown host key</source>
        <translation>未知的主机密钥</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>SSH password</source>
        <translation>SSH 密码</translation>
    </message>
</context>
<context>
    <name>BootForm</name>
    <message>
        <source>Boot Options</source>
        <translation>引导选项</translation>
    </message>
    <message>
        <source>Start the virtual machine when the host starts</source>
        <translation>主机启动时启动此虚拟机</translation>
    </message>
    <message>
        <source>&amp;Up</source>
        <translation>上移(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Down</source>
        <translation>下移(&amp;D)</translation>
    </message>
    <message>
        <source>Show the boot menu</source>
        <translation>显示引导菜单</translation>
    </message>
    <message>
        <source>BIOS</source>
        <translation>BIOS</translation>
    </message>
    <message>
        <source>UEFI</source>
        <translation>UEFI</translation>
    </message>
    <message>
        <source>Secure Boot</source>
        <translation>安全启动</translation>
    </message>
    <message>
        <source>Changing the firmware of an installed guest usually leaves it unable to boot.</source>
        <translation>更改已安装客户机的固件通常会使其无法启动。</translation>
    </message>
    <message>
        <source>Boot device order (ticked devices, top first):</source>
        <translation>引导设备顺序（勾选的设备，从上到下）：</translation>
    </message>
    <message>
        <source>Firmware:</source>
        <translation>固件：</translation>
    </message>
    <message>
        <source>Kernel path:</source>
        <translation>内核路径：</translation>
    </message>
    <message>
        <source>Initrd path:</source>
        <translation>Initrd 路径：</translation>
    </message>
    <message>
        <source>Kernel arguments:</source>
        <translation>内核参数：</translation>
    </message>
</context>
<context>
    <name>CaptureAllDialog</name>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Placeholders: {0}</source>
        <translation>占位符：{0}</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <source>File names:</source>
        <translation>文件名：</translation>
    </message>
    <message>
        <source>For example: {0}</source>
        <translation>例如：{0}</translation>
    </message>
    <message>
        <source>Folder for the Screenshots</source>
        <translation>屏幕截图文件夹</translation>
    </message>
    <message>
        <source>Choose a folder for the screenshots.</source>
        <translation>请为屏幕截图选择一个文件夹。</translation>
    </message>
    <message>
        <source>The folder {0} does not exist.</source>
        <translation>文件夹 {0} 不存在。</translation>
    </message>
    <message>
        <source>kvmdesk may not write into the folder {0}.</source>
        <translation>kvmdesk 无权写入文件夹 {0}。</translation>
    </message>
</context>
<context>
    <name>ChannelPage</name>
    <message>
        <source>Channel name:</source>
        <translation>通道名称：</translation>
    </message>
</context>
<context>
    <name>CharForm</name>
    <message>
        <source>Pseudo-terminal (the Console tab)</source>
        <translation>伪终端（控制台标签页）</translation>
    </message>
    <message>
        <source>File on the host</source>
        <translation>主机上的文件</translation>
    </message>
    <message>
        <source>UNIX socket on the host</source>
        <translation>主机上的 UNIX 套接字</translation>
    </message>
    <message>
        <source>chosen by libvirt</source>
        <translation>由 libvirt 选择</translation>
    </message>
    <message>
        <source>The QEMU guest agent talks to the host through this channel: clean shutdown, file system freeze, the guest&apos;s IP addresses.</source>
        <translation>QEMU 客户机代理通过此通道与主机通信：正常关机、冻结文件系统、获取客户机的 IP 地址。</translation>
    </message>
    <message>
        <source>Host side:</source>
        <translation>主机端：</translation>
    </message>
    <message>
        <source>Path on the host:</source>
        <translation>主机上的路径：</translation>
    </message>
    <message>
        <source>Device type:</source>
        <translation>设备类型：</translation>
    </message>
    <message>
        <source>Channel name:</source>
        <translation>通道名称：</translation>
    </message>
    <message>
        <source>Port number:</source>
        <translation>端口号：</translation>
    </message>
</context>
<context>
    <name>CloneDialog</name>
    <message>
        <source>Clone “{0}”</source>
        <translation>克隆“{0}”</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>磁盘</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Clone as</source>
        <translation>克隆方式</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>Not in a storage pool: libvirt cannot copy it.</source>
        <translation>不在存储池中：libvirt 无法复制它。</translation>
    </message>
    <message>
        <source>a new random MAC address</source>
        <translation>新的随机 MAC 地址</translation>
    </message>
    <message>
        <source>MAC of card {0} ({1}):</source>
        <translation>网卡 {0} 的 MAC（{1}）：</translation>
    </message>
    <message>
        <source>The virtual machine is running. For a clean copy shut it down first; otherwise choose:</source>
        <translation>虚拟机正在运行。若要得到干净的副本，请先关闭它；否则请选择：</translation>
    </message>
    <message>
        <source>&amp;Pause it while its disks are copied</source>
        <translation>复制磁盘时暂停它(&amp;P)</translation>
    </message>
    <message>
        <source>Copy it &amp;while it runs (crash-consistent, like pulling the plug)</source>
        <translation>在运行时复制(&amp;W)（崩溃一致，如同拔掉电源）</translation>
    </message>
    <message>
        <source>The clone gets a new UUID and new MAC addresses; shared disks stay shared. The source is only read.</source>
        <translation>克隆将获得新的 UUID 和新的 MAC 地址；共享磁盘保持共享。源虚拟机只被读取。</translation>
    </message>
    <message>
        <source>&amp;Clone</source>
        <translation>克隆(&amp;C)</translation>
    </message>
    <message>
        <source>The command appears once a name is given.</source>
        <translation>输入名称后将显示命令。</translation>
    </message>
    <message>
        <source>Checking with the host…</source>
        <translation>正在向主机核实…</translation>
    </message>
</context>
<context>
    <name>CommandLogDock</name>
    <message>
        <source>Command Log</source>
        <translation>命令日志</translation>
    </message>
    <message>
        <source>Commands</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>&amp;Copy Command</source>
        <translation>复制命令(&amp;C)</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the selected commands</source>
        <translation>复制所选命令</translation>
    </message>
    <message>
        <source>Copy All</source>
        <translation>全部复制</translation>
    </message>
    <message>
        <source>Copy every command in the log</source>
        <translation>复制日志中的所有命令</translation>
    </message>
    <message>
        <source>Save as Script…</source>
        <translation>另存为脚本…</translation>
    </message>
    <message>
        <source>Save the commands as a shell script that stops at the first failure</source>
        <translation>将命令保存为遇到第一个失败即停止的 shell 脚本</translation>
    </message>
    <message>
        <source>Save Commands as Script</source>
        <translation>将命令另存为脚本</translation>
    </message>
    <message>
        <source>Shell scripts (*.sh);;All files (*)</source>
        <translation>Shell 脚本 (*.sh);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Could not save the script</source>
        <translation>无法保存脚本</translation>
    </message>
    <message>
        <source>Copy &amp;All</source>
        <translation>全部复制(&amp;A)</translation>
    </message>
</context>
<context>
    <name>CommandView</name>
    <message>
        <source>Equivalent command:</source>
        <translation>等效命令：</translation>
    </message>
    <message>
        <source>Equivalent command</source>
        <translation>等效命令</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the command to the clipboard</source>
        <translation>将命令复制到剪贴板</translation>
    </message>
</context>
<context>
    <name>ConnectionActions</name>
    <message>
        <source>&amp;Add Connection…</source>
        <translation>添加连接(&amp;A)…</translation>
    </message>
    <message>
        <source>Open &amp;Demo Host</source>
        <translation>打开演示主机(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <source>Dis&amp;connect</source>
        <translation>断开连接(&amp;C)</translation>
    </message>
    <message>
        <source>Connection &amp;Details</source>
        <translation>连接详情(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Edit Connection…</source>
        <translation>编辑连接(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Remove Connection</source>
        <translation>删除连接(&amp;R)</translation>
    </message>
    <message>
        <source>Cancel Co&amp;nnecting</source>
        <translation>取消连接(&amp;N)</translation>
    </message>
    <message>
        <source>Remove Connection</source>
        <translation>删除连接</translation>
    </message>
    <message>
        <source>Remove the connection “{0}” from the list?</source>
        <translation>从列表中删除连接“{0}”吗？</translation>
    </message>
    <message>
        <source>Its virtual machines are not affected.</source>
        <translation>其中的虚拟机不受影响。</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <source>Unsafe Connection</source>
        <translation>不安全的连接</translation>
    </message>
    <message>
        <source>The saved connection
{0}
was not opened. This URI is unsafe:</source>
        <translation>已保存的连接
{0}
未被打开。此 URI 不安全：</translation>
    </message>
    <message>
        <source>I understand, use this URI anyway</source>
        <translation>我了解，仍然使用此 URI</translation>
    </message>
    <message>
        <source>Remember for later starts</source>
        <translation>以后启动时也记住</translation>
    </message>
    <message>
        <source>Without this, kvmdesk asks again the next time it starts.</source>
        <translation>不勾选时，kvmdesk 下次启动时会再次询问。</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
</context>
<context>
    <name>ConsolePage</name>
    <message>
        <source>Serial or console device of the virtual machine</source>
        <translation>虚拟机的串行设备或控制台设备</translation>
    </message>
    <message>
        <source>&amp;Take Over Console…</source>
        <translation>接管控制台(&amp;T)…</translation>
    </message>
    <message>
        <source>Disconnect the other client and use the console here</source>
        <translation>断开另一个客户端，在此处使用控制台</translation>
    </message>
    <message>
        <source>&amp;Log to File…</source>
        <translation>记录到文件(&amp;L)…</translation>
    </message>
    <message>
        <source>Append everything the console shows to a file</source>
        <translation>将控制台显示的所有内容追加到文件中</translation>
    </message>
    <message>
        <source>Send &amp;Key</source>
        <translation>发送按键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Add Serial Console…</source>
        <translation>添加串行控制台(&amp;A)…</translation>
    </message>
    <message>
        <source>Add a serial console to the definition; it takes effect at the next boot</source>
        <translation>在定义中添加串行控制台；下次引导时生效</translation>
    </message>
    <message>
        <source>Take Over Console…</source>
        <translation>接管控制台…</translation>
    </message>
    <message>
        <source>kvmdesk attaches again by itself when it can.</source>
        <translation>kvmdesk 会在可能时自动重新连接。</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Connected to {0}</source>
        <translation>已连接到 {0}</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>The console closed.</source>
        <translation>控制台已关闭。</translation>
    </message>
    <message>
        <source>Disconnected: {0}</source>
        <translation>已断开连接：{0}</translation>
    </message>
    <message>
        <source>It attaches again when it runs.</source>
        <translation>它运行时会自动重新连接。</translation>
    </message>
    <message>
        <source>It attaches again when it can.</source>
        <translation>可能时会自动重新连接。</translation>
    </message>
    <message>
        <source>Another client is using this console.</source>
        <translation>另一个客户端正在使用此控制台。</translation>
    </message>
    <message>
        <source>Take it over to use it here; the other client (for example a virsh console) is then disconnected.</source>
        <translation>接管后即可在此处使用；另一个客户端（例如 virsh console）将被断开。</translation>
    </message>
    <message>
        <source>No serial console</source>
        <translation>没有串行控制台</translation>
    </message>
    <message>
        <source>This virtual machine has no serial console.</source>
        <translation>此虚拟机没有串行控制台。</translation>
    </message>
    <message>
        <source>kvmdesk can add one to its definition. It takes effect the next time the virtual machine starts.</source>
        <translation>kvmdesk 可以在其定义中添加一个串行控制台。下次启动虚拟机时生效。</translation>
    </message>
    <message>
        <source>Not running</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>The virtual machine is not running.</source>
        <translation>虚拟机未运行。</translation>
    </message>
    <message>
        <source>Its serial console shows here by itself once it starts.</source>
        <translation>虚拟机启动后，其串行控制台会自动显示在这里。</translation>
    </message>
    <message>
        <source>Take Over Console</source>
        <translation>接管控制台</translation>
    </message>
    <message>
        <source>Take over the console from the other client?</source>
        <translation>要从另一个客户端接管控制台吗？</translation>
    </message>
    <message>
        <source>The other client (for example a virsh console) is disconnected.</source>
        <translation>另一个客户端（例如 virsh console）将被断开。</translation>
    </message>
    <message>
        <source>Add Serial Console</source>
        <translation>添加串行控制台</translation>
    </message>
    <message>
        <source>Add a serial console to this virtual machine&apos;s definition?</source>
        <translation>要在此虚拟机的定义中添加串行控制台吗？</translation>
    </message>
    <message>
        <source>It takes effect the next time the virtual machine starts.</source>
        <translation>下次启动虚拟机时生效。</translation>
    </message>
    <message>
        <source>The serial console was added to the definition.</source>
        <translation>串行控制台已添加到定义中。</translation>
    </message>
    <message>
        <source>It takes effect at the next boot: shut the virtual machine down and start it again.</source>
        <translation>下次引导时生效：请关闭虚拟机后再启动它。</translation>
    </message>
    <message>
        <source>Log the Console to a File</source>
        <translation>将控制台记录到文件</translation>
    </message>
    <message>
        <source>Log files (*.log)</source>
        <translation>日志文件 (*.log)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Log to File</source>
        <translation>记录到文件</translation>
    </message>
    <message>
        <source>The log file cannot be opened.</source>
        <translation>无法打开日志文件。</translation>
    </message>
    <message>
        <source>Logging to {0}</source>
        <translation>正在记录到 {0}</translation>
    </message>
</context>
<context>
    <name>ControllerForm</name>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Index:</source>
        <translation>索引：</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>型号：</translation>
    </message>
</context>
<context>
    <name>ControllerPage</name>
    <message>
        <source>SCSI</source>
        <translation>SCSI</translation>
    </message>
    <message>
        <source>USB</source>
        <translation>USB</translation>
    </message>
    <message>
        <source>virtio-serial (for channels)</source>
        <translation>virtio-serial（供通道使用）</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>型号：</translation>
    </message>
    <message>
        <source>Hypervisor default</source>
        <translation>虚拟机管理程序默认值</translation>
    </message>
</context>
<context>
    <name>CpuForm</name>
    <message>
        <source>CPUs</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Hypervisor default</source>
        <translation>虚拟机管理程序默认值</translation>
    </message>
    <message>
        <source>Copy the host CPU (host-passthrough)</source>
        <translation>复制主机 CPU（host-passthrough）</translation>
    </message>
    <message>
        <source>Like the host CPU (host-model)</source>
        <translation>与主机 CPU 相似（host-model）</translation>
    </message>
    <message>
        <source>Everything the hypervisor can emulate (maximum)</source>
        <translation>虚拟机管理程序能模拟的全部功能（maximum）</translation>
    </message>
    <message>
        <source>Set the topology by hand</source>
        <translation>手动设置拓扑</translation>
    </message>
    <message>
        <source>Sockets:</source>
        <translation>插槽：</translation>
    </message>
    <message>
        <source>Cores:</source>
        <translation>核心：</translation>
    </message>
    <message>
        <source>Threads:</source>
        <translation>线程：</translation>
    </message>
    <message>
        <source>Current vCPUs:</source>
        <translation>当前 vCPU：</translation>
    </message>
    <message>
        <source>Maximum vCPUs:</source>
        <translation>最大 vCPU：</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>型号：</translation>
    </message>
    <message>
        <source>This host allows up to {0} vCPUs for this virtual machine.</source>
        <translation>此主机允许此虚拟机最多使用 {0} 个 vCPU。</translation>
    </message>
</context>
<context>
    <name>CreateSnapshotDialog</name>
    <message>
        <source>Take Snapshot</source>
        <translation>创建快照</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>描述(&amp;D)：</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>libvirt cannot take any kind of snapshot of this virtual machine.</source>
        <translation>libvirt 无法为此虚拟机创建任何类型的快照。</translation>
    </message>
</context>
<context>
    <name>CredentialDialog</name>
    <message>
        <source>Authentication Required</source>
        <translation>需要身份验证</translation>
    </message>
    <message>
        <source>The libvirt service at {0} asks for credentials.</source>
        <translation>{0} 上的 libvirt 服务要求提供凭据。</translation>
    </message>
    <message>
        <source>The libvirt service asks for credentials.</source>
        <translation>libvirt 服务要求提供凭据。</translation>
    </message>
    <message>
        <source>Value:</source>
        <translation>值：</translation>
    </message>
</context>
<context>
    <name>DefineActions</name>
    <message>
        <source>D&amp;efine from XML…</source>
        <translation>从 XML 定义(&amp;E)…</translation>
    </message>
    <message>
        <source>Add a virtual machine from an XML file, without starting it</source>
        <translation>从 XML 文件添加虚拟机，但不启动它</translation>
    </message>
    <message>
        <source>C&amp;reate from XML…</source>
        <translation>从 XML 创建(&amp;R)…</translation>
    </message>
    <message>
        <source>Start a transient virtual machine from an XML file</source>
        <translation>从 XML 文件启动一个临时虚拟机</translation>
    </message>
    <message>
        <source>Cannot Use the File</source>
        <translation>无法使用该文件</translation>
    </message>
    <message>
        <source>“{0}” cannot be used as a definition.</source>
        <translation>“{0}”无法用作定义。</translation>
    </message>
    <message>
        <source>Define from XML</source>
        <translation>从 XML 定义</translation>
    </message>
    <message>
        <source>Create from XML</source>
        <translation>从 XML 创建</translation>
    </message>
    <message>
        <source>XML files (*.xml)</source>
        <translation>XML 文件 (*.xml)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>DefinePreview</name>
    <message>
        <source>Define from XML</source>
        <translation>从 XML 定义</translation>
    </message>
    <message>
        <source>Create from XML</source>
        <translation>从 XML 创建</translation>
    </message>
    <message>
        <source>The virtual machine is added to this connection and stays shut off until you start it.</source>
        <translation>虚拟机将被添加到此连接，并保持关闭状态，直到您启动它。</translation>
    </message>
    <message>
        <source>The virtual machine starts at once. It is transient: when it shuts down, it disappears from the connection.</source>
        <translation>虚拟机会立即启动。它是临时的：关机后会从连接中消失。</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Connection:</source>
        <translation>连接：</translation>
    </message>
    <message>
        <source>You can correct the XML here before going on.</source>
        <translation>您可以在继续之前在此处更正 XML。</translation>
    </message>
    <message>
        <source>&amp;Define</source>
        <translation>定义(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>创建(&amp;C)</translation>
    </message>
    <message>
        <source>Defining…</source>
        <translation>正在定义…</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>正在创建…</translation>
    </message>
</context>
<context>
    <name>DeleteDialog</name>
    <message>
        <source>Delete Virtual Machine</source>
        <translation>删除虚拟机</translation>
    </message>
    <message>
        <source>Delete virtual machine “{0}”?</source>
        <translation>删除虚拟机“{0}”吗？</translation>
    </message>
    <message>
        <source>UUID: {0}</source>
        <translation>UUID：{0}</translation>
    </message>
    <message>
        <source>It is running and will be forced off first.</source>
        <translation>该虚拟机正在运行，将先被强制关闭。</translation>
    </message>
    <message>
        <source>Its definition is removed from the host. Storage files are deleted only if you select them below.</source>
        <translation>其定义将从主机上删除。只有在下方选中的存储文件才会被删除。</translation>
    </message>
    <message>
        <source>Delete its UEFI variables (NVRAM): {0}</source>
        <translation>删除其 UEFI 变量（NVRAM）：{0}</translation>
    </message>
    <message>
        <source>Delete its UEFI variables (NVRAM)</source>
        <translation>删除其 UEFI 变量（NVRAM）</translation>
    </message>
    <message>
        <source>Untick to keep the file: the machine&apos;s boot settings are kept in it.</source>
        <translation>取消勾选可保留此文件：虚拟机的启动设置保存在其中。</translation>
    </message>
    <message>
        <source>Delete associated storage files</source>
        <translation>删除关联的存储文件</translation>
    </message>
    <message>
        <source>Storage to delete</source>
        <translation>要删除的存储</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Source path</source>
        <translation>源路径</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>This virtual machine has no disks.</source>
        <translation>此虚拟机没有磁盘。</translation>
    </message>
    <message>
        <source>Some selected files may be needed by other virtual machines or are installation media.</source>
        <translation>某些选中的文件可能是其他虚拟机需要的，或者是安装介质。</translation>
    </message>
</context>
<context>
    <name>DetailsPane</name>
    <message>
        <source>Select a virtual machine or a connection</source>
        <translation>请选择一个虚拟机或连接</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Screenshot</source>
        <translation>屏幕截图</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <source>XML</source>
        <translation>XML</translation>
    </message>
    <message>
        <source>Performance</source>
        <translation>性能</translation>
    </message>
    <message>
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
    <message>
        <source>Snapshots</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>This virtual machine no longer exists.</source>
        <translation>此虚拟机已不存在。</translation>
    </message>
</context>
<context>
    <name>DeviceView</name>
    <message>
        <source>kvmdesk shows this device but has no form for it yet; edit it in the XML tab.</source>
        <translation>kvmdesk 显示此设备，但尚无编辑表单；请在 XML 选项卡中编辑。</translation>
    </message>
    <message>
        <source>Device definition (XML)</source>
        <translation>设备定义（XML）</translation>
    </message>
</context>
<context>
    <name>DiskForm</name>
    <message>
        <source>CD-ROM</source>
        <translation>光驱</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>磁盘</translation>
    </message>
    <message>
        <source>&amp;Eject</source>
        <translation>弹出(&amp;E)</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>Shareable between virtual machines</source>
        <translation>可在虚拟机之间共享</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <source>Bus:</source>
        <translation>总线：</translation>
    </message>
    <message>
        <source>Cache:</source>
        <translation>缓存：</translation>
    </message>
    <message>
        <source>Discard:</source>
        <translation>丢弃：</translation>
    </message>
    <message>
        <source>Serial number:</source>
        <translation>序列号：</translation>
    </message>
</context>
<context>
    <name>DisplayActions</name>
    <message>
        <source>Save Screenshot</source>
        <translation>保存屏幕截图</translation>
    </message>
    <message>
        <source>The screenshot was not saved to {0}.</source>
        <translation>屏幕截图未能保存到 {0}。</translation>
    </message>
    <message>
        <source>Display Password</source>
        <translation>显示密码</translation>
    </message>
    <message>
        <source>Password of the virtual machine&apos;s display:</source>
        <translation>虚拟机显示的密码：</translation>
    </message>
    <message>
        <source>Take Over Display</source>
        <translation>接管显示</translation>
    </message>
    <message>
        <source>Disconnect the other client and show the display here?</source>
        <translation>要断开另一个客户端并在此显示吗？</translation>
    </message>
    <message>
        <source>Whoever uses the display in another viewer loses it at once; anything they are typing stops.</source>
        <translation>在另一个查看器中使用此显示的人会立即失去它；他们正在输入的内容也会中断。</translation>
    </message>
    <message>
        <source>Add VNC Display</source>
        <translation>添加 VNC 显示</translation>
    </message>
    <message>
        <source>Add a VNC display to this virtual machine&apos;s definition?</source>
        <translation>要在此虚拟机的定义中添加 VNC 显示吗？</translation>
    </message>
    <message>
        <source>It takes effect the next time the virtual machine starts.</source>
        <translation>下次启动虚拟机时生效。</translation>
    </message>
    <message>
        <source>The VNC display was added to the definition.</source>
        <translation>VNC 显示已添加到定义中。</translation>
    </message>
    <message>
        <source>It takes effect at the next boot: shut the virtual machine down and start it again.</source>
        <translation>下次引导时生效：请关闭虚拟机后再启动它。</translation>
    </message>
    <message>
        <source>Open in virt-viewer</source>
        <translation>在 virt-viewer 中打开</translation>
    </message>
</context>
<context>
    <name>DisplayPage</name>
    <message>
        <source>Scale to Fit</source>
        <translation>缩放以适应</translation>
    </message>
    <message>
        <source>1:1</source>
        <translation>1:1</translation>
    </message>
    <message>
        <source>Scale the screen to the window, or one guest pixel per pixel</source>
        <translation>将屏幕缩放到窗口大小，或每个客户机像素对应一个像素</translation>
    </message>
    <message>
        <source>&amp;Full Screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <source>Show the screen on the whole monitor (Ctrl+Alt+F)</source>
        <translation>在整个显示器上显示屏幕（Ctrl+Alt+F）</translation>
    </message>
    <message>
        <source>Send &amp;Key</source>
        <translation>发送按键(&amp;K)</translation>
    </message>
    <message>
        <source>Screens&amp;hot</source>
        <translation>屏幕截图(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Save Screenshot…</source>
        <translation>保存屏幕截图(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Copy Screenshot</source>
        <translation>复制屏幕截图(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Options</source>
        <translation>选项(&amp;O)</translation>
    </message>
    <message>
        <source>Share c&amp;lipboard</source>
        <translation>共享剪贴板(&amp;L)</translation>
    </message>
    <message>
        <source>Text copied here is offered to the guest, and text the guest copies comes here</source>
        <translation>在此复制的文本会提供给客户机，客户机复制的文本也会传到这里</translation>
    </message>
    <message>
        <source>Release the pointer with</source>
        <translation>释放指针的按键</translation>
    </message>
    <message>
        <source>&amp;Add VNC Display…</source>
        <translation>添加 VNC 显示(&amp;A)…</translation>
    </message>
    <message>
        <source>Add a VNC display to the definition; it takes effect at the next boot</source>
        <translation>在定义中添加 VNC 显示；下次引导时生效</translation>
    </message>
    <message>
        <source>Enter &amp;Password…</source>
        <translation>输入密码(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Try Again</source>
        <translation>重试(&amp;T)</translation>
    </message>
    <message>
        <source>Take &amp;Over Display…</source>
        <translation>接管显示(&amp;O)…</translation>
    </message>
    <message>
        <source>Connect exclusively; the other client is disconnected</source>
        <translation>以独占方式连接；另一个客户端将被断开</translation>
    </message>
    <message>
        <source>Open in &amp;virt-viewer</source>
        <translation>在 virt-viewer 中打开(&amp;V)</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>显示</translation>
    </message>
</context>
<context>
    <name>DisplayView</name>
    <message>
        <source>Press {0} to release the pointer</source>
        <translation>按 {0} 释放指针</translation>
    </message>
</context>
<context>
    <name>DomainActions</name>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Start the virtual machine</source>
        <translation>启动虚拟机</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pause execution</source>
        <translation>暂停执行</translation>
    </message>
    <message>
        <source>R&amp;esume</source>
        <translation>恢复(&amp;E)</translation>
    </message>
    <message>
        <source>Resume execution</source>
        <translation>恢复执行</translation>
    </message>
    <message>
        <source>&amp;Shut Down</source>
        <translation>关机(&amp;S)</translation>
    </message>
    <message>
        <source>Ask the guest to shut down</source>
        <translation>请求客户机关机</translation>
    </message>
    <message>
        <source>Re&amp;boot</source>
        <translation>重启(&amp;B)</translation>
    </message>
    <message>
        <source>Ask the guest to reboot</source>
        <translation>请求客户机重启</translation>
    </message>
    <message>
        <source>&amp;Force Off</source>
        <translation>强制关闭(&amp;F)</translation>
    </message>
    <message>
        <source>Stop immediately, like pulling the plug</source>
        <translation>立即停止，就像拔掉电源插头</translation>
    </message>
    <message>
        <source>Sa&amp;ve</source>
        <translation>保存(&amp;V)</translation>
    </message>
    <message>
        <source>Save the memory state to disk and stop; Run restores it</source>
        <translation>将内存状态保存到磁盘并停止；“运行”可恢复它</translation>
    </message>
    <message>
        <source>Save to &amp;File…</source>
        <translation>保存到文件(&amp;F)…</translation>
    </message>
    <message>
        <source>Save the memory state to a file on the host and stop</source>
        <translation>将内存状态保存到主机上的文件并停止</translation>
    </message>
    <message>
        <source>&amp;Autostart</source>
        <translation>自动启动(&amp;A)</translation>
    </message>
    <message>
        <source>Start when the host boots</source>
        <translation>主机引导时启动</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>Delete the virtual machine</source>
        <translation>删除虚拟机</translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>详情(&amp;D)</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>显示详情</translation>
    </message>
    <message>
        <source>C&amp;lone…</source>
        <translation>克隆(&amp;L)…</translation>
    </message>
    <message>
        <source>Make a copy with a new name, UUID and MAC addresses, like virt-clone</source>
        <translation>像 virt-clone 一样创建副本，使用新的名称、UUID 和 MAC 地址</translation>
    </message>
    <message>
        <source>&amp;Migrate…</source>
        <translation>迁移(&amp;M)…</translation>
    </message>
    <message>
        <source>Move the virtual machine to another open connection&apos;s host</source>
        <translation>将虚拟机迁移到另一个已打开连接的主机</translation>
    </message>
    <message>
        <source>Take S&amp;napshot…</source>
        <translation>创建快照(&amp;N)…</translation>
    </message>
    <message>
        <source>Take a snapshot of each selected virtual machine, with one name</source>
        <translation>为每台选中的虚拟机创建同名快照</translation>
    </message>
    <message>
        <source>Snaps&amp;hots…</source>
        <translation>快照(&amp;H)…</translation>
    </message>
    <message>
        <source>Show, take, revert and delete the virtual machine&apos;s snapshots</source>
        <translation>查看、创建、恢复和删除虚拟机的快照</translation>
    </message>
    <message>
        <source>Edit &amp;Tags…</source>
        <translation>编辑标签(&amp;T)…</translation>
    </message>
    <message>
        <source>Add or remove tags on the selected machines</source>
        <translation>在所选虚拟机上添加或删除标签</translation>
    </message>
    <message>
        <source>Send &amp;Key</source>
        <translation>发送按键(&amp;K)</translation>
    </message>
    <message>
        <source>Send keys to the guest</source>
        <translation>向客户机发送按键</translation>
    </message>
</context>
<context>
    <name>DomainCommands</name>
    <message>
        <source>Force Off</source>
        <translation>强制关闭</translation>
    </message>
    <message>
        <source>Force off “{0}”?</source>
        <translation>强制关闭“{0}”吗？</translation>
    </message>
    <message numerus="yes">
        <source>Force off %n virtual machine(s)?</source>
        <translation>
            <numerusform>强制关闭 %n 个虚拟机吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>{0} (UUID {1})</source>
        <translation>{0}（UUID {1}）</translation>
    </message>
    <message>
        <source>The guest stops at once, like pulling the power plug; unsaved data is lost.</source>
        <translation>客户机会立即停止，就像拔掉电源插头一样；未保存的数据将会丢失。</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Pause “{0}”?</source>
        <translation>暂停“{0}”？</translation>
    </message>
    <message numerus="yes">
        <source>Pause %n virtual machine(s)?</source>
        <translation>
            <numerusform>暂停 %n 个虚拟机？</numerusform>
        </translation>
    </message>
    <message>
        <source>The guest stops running until it is resumed; its network connections may time out.</source>
        <translation>客户机将停止运行，直到恢复为止；其网络连接可能会超时。</translation>
    </message>
    <message numerus="yes">
        <source>Starting %n virtual machine(s)…</source>
        <translation>
            <numerusform>正在启动 %n 个虚拟机…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Shutting down %n virtual machine(s)…</source>
        <translation>
            <numerusform>正在关闭 %n 个虚拟机…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rebooting %n virtual machine(s)…</source>
        <translation>
            <numerusform>正在重启 %n 个虚拟机…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Forcing off %n virtual machine(s)…</source>
        <translation>
            <numerusform>正在强制关闭 %n 个虚拟机…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pausing %n virtual machine(s)…</source>
        <translation>
            <numerusform>正在暂停 %n 个虚拟机…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resuming %n virtual machine(s)…</source>
        <translation>
            <numerusform>正在恢复 %n 个虚拟机…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saving %n virtual machine(s)…</source>
        <translation>
            <numerusform>正在保存 %n 个虚拟机…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Turning autostart on for %n virtual machine(s)…</source>
        <translation>
            <numerusform>正在为 %n 个虚拟机打开自动启动…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Turning autostart off for %n virtual machine(s)…</source>
        <translation>
            <numerusform>正在为 %n 个虚拟机关闭自动启动…</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not start</source>
        <translation>无法启动</translation>
    </message>
    <message>
        <source>Could not shut down</source>
        <translation>无法关机</translation>
    </message>
    <message>
        <source>Could not reboot</source>
        <translation>无法重启</translation>
    </message>
    <message>
        <source>Could not force off</source>
        <translation>无法强制关闭</translation>
    </message>
    <message>
        <source>Could not pause</source>
        <translation>无法暂停</translation>
    </message>
    <message>
        <source>Could not resume</source>
        <translation>无法恢复</translation>
    </message>
    <message>
        <source>Could not save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>Could not change autostart</source>
        <translation>无法更改自动启动</translation>
    </message>
    <message>
        <source>Could not delete</source>
        <translation>无法删除</translation>
    </message>
    <message>
        <source>Deleting “{0}”…</source>
        <translation>正在删除“{0}”…</translation>
    </message>
</context>
<context>
    <name>GraphicsForm</name>
    <message>
        <source>Display</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>This host only (127.0.0.1)</source>
        <translation>仅此主机（127.0.0.1）</translation>
    </message>
    <message>
        <source>All interfaces (0.0.0.0)</source>
        <translation>所有接口（0.0.0.0）</translation>
    </message>
    <message>
        <source>Port chosen by libvirt</source>
        <translation>由 libvirt 选择端口</translation>
    </message>
    <message>
        <source>Require a password</source>
        <translation>需要密码</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>不变</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Listen on:</source>
        <translation>监听地址：</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <source>New password:</source>
        <translation>新密码：</translation>
    </message>
</context>
<context>
    <name>Grouping</name>
    <message>
        <source>Group by</source>
        <translation>分组方式</translation>
    </message>
    <message>
        <source>Group the list by host, host group, tag, state or OS</source>
        <translation>按主机、主机组、标签、状态或操作系统对列表分组</translation>
    </message>
    <message>
        <source>&amp;Group By</source>
        <translation>分组方式(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Save View…</source>
        <translation>保存视图(&amp;S)…</translation>
    </message>
    <message>
        <source>Keep the search, grouping and columns under a name</source>
        <translation>将搜索、分组和列以一个名称保存</translation>
    </message>
    <message>
        <source>View “{0}” applied</source>
        <translation>已应用视图“{0}”</translation>
    </message>
    <message>
        <source>&amp;Move to Group</source>
        <translation>移动到组(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;New Group…</source>
        <translation>新建组(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;No Group</source>
        <translation>不分组(&amp;N)</translation>
    </message>
    <message>
        <source>New Group</source>
        <translation>新建组</translation>
    </message>
    <message>
        <source>Name of the host group:</source>
        <translation>主机组名称：</translation>
    </message>
    <message>
        <source>This name cannot be used.</source>
        <translation>不能使用此名称。</translation>
    </message>
</context>
<context>
    <name>HardwarePage</name>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Add &amp;Hardware…</source>
        <translation>添加硬件(&amp;H)…</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>移除(&amp;M)</translation>
    </message>
    <message>
        <source>Apply:</source>
        <translation>应用：</translation>
    </message>
    <message>
        <source>&amp;Revert</source>
        <translation>还原(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>应用(&amp;A)</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>{0} (pending restart)</source>
        <translation>{0}（等待重新启动）</translation>
    </message>
    <message>
        <source>The running guest differs from its next boot: restart it to apply.</source>
        <translation>正在运行的客户机与其下次启动的配置不同：重新启动即可应用。</translation>
    </message>
    <message>
        <source>Apply saves this change; it takes effect at the next start.</source>
        <translation>“应用”会保存此更改；它在下次启动时生效。</translation>
    </message>
    <message>
        <source>This change can be made now, on the running guest, and at the next boot.</source>
        <translation>此更改可以立即在正在运行的客户机上进行，并在下次启动时生效。</translation>
    </message>
    <message>
        <source>This change takes effect at the next boot: the guest must be restarted.</source>
        <translation>此更改在下次启动时生效：必须重新启动客户机。</translation>
    </message>
    <message>
        <source>Now and at next boot</source>
        <translation>立即及下次启动</translation>
    </message>
    <message>
        <source>Now only (until it shuts down)</source>
        <translation>仅立即（直到关机）</translation>
    </message>
    <message>
        <source>At next boot only</source>
        <translation>仅下次启动</translation>
    </message>
    <message>
        <source>No command while an entry is not valid.</source>
        <translation>有输入项无效时不显示命令。</translation>
    </message>
</context>
<context>
    <name>HostDevForm</name>
    <message>
        <source>Detach it from the host&apos;s driver while the guest runs</source>
        <translation>客户机运行时将其从主机驱动程序分离</translation>
    </message>
    <message>
        <source>Host device:</source>
        <translation>主机设备：</translation>
    </message>
    <message>
        <source>Loading the host&apos;s devices…</source>
        <translation>正在加载主机的设备……</translation>
    </message>
    <message>
        <source>This device is not on the host now.</source>
        <translation>此设备当前不在主机上。</translation>
    </message>
</context>
<context>
    <name>HostPathDialog</name>
    <message>
        <source>File on the host</source>
        <translation>主机上的文件</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>文件(&amp;F)：</translation>
    </message>
    <message>
        <source>The file is on the host {0}; type its path there.</source>
        <translation>该文件位于主机 {0} 上；请输入它在该主机上的路径。</translation>
    </message>
</context>
<context>
    <name>JobsDock</name>
    <message>
        <source>Jobs</source>
        <translation>作业</translation>
    </message>
</context>
<context>
    <name>JobsView</name>
    <message>
        <source>Operation</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Virtual Machine or Volume</source>
        <translation>虚拟机或卷</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>已用时间</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>作业</translation>
    </message>
    <message>
        <source>C&amp;lear Finished</source>
        <translation>清除已完成(&amp;L)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>kvmdesk — Virtual Machine Manager</source>
        <translation>kvmdesk — 虚拟机管理器</translation>
    </message>
    <message>
        <source>Connections and virtual machines</source>
        <translation>连接和虚拟机</translation>
    </message>
    <message>
        <source>&amp;Jobs</source>
        <translation>作业(&amp;J)</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>Jobs Still Running</source>
        <translation>仍有作业在运行</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) are still running. Quit anyway?</source>
        <translation>
            <numerusform>仍有 %n 个作业在运行。仍要退出吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>Snapshots, reverts and saves go on in libvirt and end there. Clones and uploads stop, and what they had copied so far stays on the host.</source>
        <translation>快照、恢复和保存会在 libvirt 中继续并完成。克隆和上传会停止，已复制的部分会留在主机上。</translation>
    </message>
</context>
<context>
    <name>ManySnapshotsDialog</name>
    <message>
        <source>Take Snapshots</source>
        <translation>创建快照</translation>
    </message>
    <message numerus="yes">
        <source>A snapshot of each of the %n virtual machine(s), called:</source>
        <translation>
            <numerusform>为这 %n 台虚拟机各创建一个快照，名称为：</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>描述(&amp;D)：</translation>
    </message>
    <message>
        <source>“{0}” already has a snapshot called “{1}”.</source>
        <translation>“{0}”已有名为“{1}”的快照。</translation>
    </message>
</context>
<context>
    <name>MemoryForm</name>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>Shared memory (needed by virtiofs shares)</source>
        <translation>共享内存（virtiofs 共享需要）</translation>
    </message>
    <message>
        <source>Current memory:</source>
        <translation>当前内存：</translation>
    </message>
    <message>
        <source>Maximum memory:</source>
        <translation>最大内存：</translation>
    </message>
    <message>
        <source>This host has {0} MiB of memory.</source>
        <translation>此主机有 {0} MiB 内存。</translation>
    </message>
</context>
<context>
    <name>MigrateDialog</name>
    <message>
        <source>Migrate “{0}”</source>
        <translation>迁移“{0}”</translation>
    </message>
    <message>
        <source>&amp;Destination:</source>
        <translation>目标(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Live: the guest runs on while it moves</source>
        <translation>实时(&amp;L)：迁移期间客户机继续运行</translation>
    </message>
    <message>
        <source>&amp;Paused while it moves (faster for a busy guest)</source>
        <translation>迁移期间暂停(&amp;P)（对繁忙的客户机更快）</translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation>模式：</translation>
    </message>
    <message>
        <source>Offline: the machine is shut off, only its definition moves.</source>
        <translation>离线：虚拟机已关闭，只迁移其定义。</translation>
    </message>
    <message>
        <source>Direct: kvmdesk connects to both hosts</source>
        <translation>直接：kvmdesk 连接两台主机</translation>
    </message>
    <message>
        <source>Peer-to-peer: the source host connects to the destination</source>
        <translation>点对点：源主机连接目标主机</translation>
    </message>
    <message>
        <source>Tunnelled: peer-to-peer, the memory inside libvirt&apos;s connection</source>
        <translation>隧道：点对点，内存经由 libvirt 的连接传输</translation>
    </message>
    <message>
        <source>&amp;Connection:</source>
        <translation>连接方式(&amp;C)：</translation>
    </message>
    <message>
        <source>Shared: both hosts see the disks</source>
        <translation>共享：两台主机都能访问磁盘</translation>
    </message>
    <message>
        <source>Copy every disk</source>
        <translation>复制所有磁盘</translation>
    </message>
    <message>
        <source>Copy the changes (the destination has the base image)</source>
        <translation>复制变更部分（目标已有基础映像）</translation>
    </message>
    <message>
        <source>&amp;Storage:</source>
        <translation>存储(&amp;S)：</translation>
    </message>
    <message>
        <source>the destination&apos;s host name (optional)</source>
        <translation>目标的主机名（可选）</translation>
    </message>
    <message>
        <source>Where the source reaches the destination for the memory copy</source>
        <translation>源主机复制内存时连接目标所用的地址</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <source> MiB/s</source>
        <translation> MiB/秒</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限制</translation>
    </message>
    <message>
        <source>&amp;Bandwidth:</source>
        <translation>带宽(&amp;B)：</translation>
    </message>
    <message>
        <source>Keep it defined on the destination (&amp;persistent)</source>
        <translation>在目标上保留定义（持久化）(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Undefine it on the source</source>
        <translation>在源主机上取消定义(&amp;U)</translation>
    </message>
    <message>
        <source>Allow &amp;unsafe (disk cache not safe for migration)</source>
        <translation>允许不安全迁移(&amp;U)（磁盘缓存方式对迁移不安全）</translation>
    </message>
    <message>
        <source>&amp;Edit the definition the destination gets</source>
        <translation>编辑目标获得的定义(&amp;E)</translation>
    </message>
    <message>
        <source>Definition on the destination</source>
        <translation>目标上的定义</translation>
    </message>
    <message>
        <source>The destination is asked first: the networks, storage pools and CPU features the machine needs. Cancel in the jobs view stops a live migration; the machine then goes on on the source.</source>
        <translation>会先询问目标是否具备虚拟机所需的网络、存储池和 CPU 特性。在作业视图中点“取消”可停止实时迁移；虚拟机随后在源主机上继续运行。</translation>
    </message>
    <message>
        <source>&amp;Migrate</source>
        <translation>迁移(&amp;M)</translation>
    </message>
    <message>
        <source>Asking the destination…</source>
        <translation>正在询问目标…</translation>
    </message>
</context>
<context>
    <name>NicForm</name>
    <message>
        <source>Network Interface</source>
        <translation>网络接口</translation>
    </message>
    <message>
        <source>Virtual network</source>
        <translation>虚拟网络</translation>
    </message>
    <message>
        <source>Bridge device</source>
        <translation>网桥设备</translation>
    </message>
    <message>
        <source>Macvtap (host device)</source>
        <translation>Macvtap（主机设备）</translation>
    </message>
    <message>
        <source>Usermode networking</source>
        <translation>用户模式网络</translation>
    </message>
    <message>
        <source>chosen by libvirt</source>
        <translation>由 libvirt 选择</translation>
    </message>
    <message>
        <source>Link up (cable plugged in)</source>
        <translation>链路连通（已插入网线）</translation>
    </message>
    <message>
        <source>Connected to:</source>
        <translation>连接到：</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>型号：</translation>
    </message>
    <message>
        <source>MAC address:</source>
        <translation>MAC 地址：</translation>
    </message>
</context>
<context>
    <name>NoMatchNotice</name>
    <message>
        <source>No machine matches the search.</source>
        <translation>没有虚拟机符合此搜索。</translation>
    </message>
    <message>
        <source>Clear the search box to see every machine.</source>
        <translation>清空搜索框即可看到所有虚拟机。</translation>
    </message>
</context>
<context>
    <name>OverviewView</name>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>UUID:</source>
        <translation>UUID：</translation>
    </message>
    <message>
        <source>Hypervisor:</source>
        <translation>虚拟机管理程序：</translation>
    </message>
    <message>
        <source>Architecture and machine:</source>
        <translation>架构和机器类型：</translation>
    </message>
    <message>
        <source>Emulator:</source>
        <translation>模拟器：</translation>
    </message>
</context>
<context>
    <name>PlanEditor</name>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>The XML is not well-formed; correct it in the XML tab.</source>
        <translation>XML 格式不正确；请在 XML 选项卡中更正。</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Statistics and List</source>
        <translation>统计与列表</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <source>Screenshots</source>
        <translation>截图</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>主题(&amp;T)：</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Open the &amp;demo host when no hypervisor answers</source>
        <translation>没有虚拟机管理程序响应时打开演示主机(&amp;D)</translation>
    </message>
    <message>
        <source>On the very first start, when neither the system nor the session URI answers.</source>
        <translation>仅在首次启动、系统 URI 和会话 URI 都没有响应时。</translation>
    </message>
    <message>
        <source>Allow editing in the &amp;XML tab</source>
        <translation>允许在 XML 标签页中编辑(&amp;X)</translation>
    </message>
    <message>
        <source>Ask before:</source>
        <translation>执行前询问：</translation>
    </message>
    <message>
        <source>&amp;Force Off</source>
        <translation>强制关闭(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Deleting &amp;storage files</source>
        <translation>删除存储文件(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Removing a device</source>
        <translation>移除设备(&amp;R)</translation>
    </message>
    <message>
        <source>Re&amp;verting to a snapshot</source>
        <translation>恢复到快照(&amp;V)</translation>
    </message>
    <message>
        <source>Ask before {0}</source>
        <translation>执行“{0}”前询问</translation>
    </message>
    <message>
        <source>New virtual machines use first:</source>
        <translation>新虚拟机优先使用：</translation>
    </message>
    <message>
        <source>Where the host has a storage pool of this name; else its own choice.</source>
        <translation>主机上有此名称的存储池时使用它；否则由向导自行选择。</translation>
    </message>
    <message>
        <source>Storage poo&amp;l:</source>
        <translation>存储池(&amp;L)：</translation>
    </message>
    <message>
        <source>Where the host has a virtual network of this name; else “default”.</source>
        <translation>主机上有此名称的虚拟网络时使用它；否则使用“default”。</translation>
    </message>
    <message>
        <source>Net&amp;work:</source>
        <translation>网络(&amp;W)：</translation>
    </message>
    <message>
        <source>VNC</source>
        <translation>VNC</translation>
    </message>
    <message>
        <source>SPICE</source>
        <translation>SPICE</translation>
    </message>
    <message>
        <source>None (serial console only)</source>
        <translation>无（仅串行控制台）</translation>
    </message>
    <message>
        <source>&amp;Graphics:</source>
        <translation>图形(&amp;G)：</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>&amp;Update every:</source>
        <translation>更新间隔(&amp;U)：</translation>
    </message>
    <message>
        <source>Statistics interval</source>
        <translation>统计间隔</translation>
    </message>
    <message>
        <source>Statistics collected:</source>
        <translation>收集的统计：</translation>
    </message>
    <message>
        <source>&amp;CPU usage</source>
        <translation>CPU 使用率(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Memory usage</source>
        <translation>内存使用量(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Disk I/O</source>
        <translation>磁盘 I/O(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Network I/O</source>
        <translation>网络 I/O(&amp;N)</translation>
    </message>
    <message>
        <source>Draw the CPU &amp;history behind the CPU % figures</source>
        <translation>在 CPU % 数值后面绘制 CPU 历史曲线(&amp;H)</translation>
    </message>
    <message>
        <source>Columns in the list:</source>
        <translation>列表中的列：</translation>
    </message>
    <message>
        <source>Show the {0} column</source>
        <translation>显示“{0}”列</translation>
    </message>
    <message>
        <source>Scale to fit the window</source>
        <translation>缩放以适应窗口</translation>
    </message>
    <message>
        <source>Pixel for pixel (1:1)</source>
        <translation>逐像素显示 (1:1)</translation>
    </message>
    <message>
        <source>Guest &amp;screen:</source>
        <translation>客户机屏幕(&amp;S)：</translation>
    </message>
    <message>
        <source>Guest screen</source>
        <translation>客户机屏幕</translation>
    </message>
    <message>
        <source>&amp;Keyboard back with:</source>
        <translation>交还键盘的按键(&amp;K)：</translation>
    </message>
    <message>
        <source>Keys that give the keyboard back</source>
        <translation>交还键盘的按键</translation>
    </message>
    <message>
        <source>Use the desktop&apos;s &amp;fixed-width font</source>
        <translation>使用桌面的等宽字体(&amp;F)</translation>
    </message>
    <message>
        <source>Serial console font</source>
        <translation>串行控制台字体</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> 磅</translation>
    </message>
    <message>
        <source>Serial console font size</source>
        <translation>串行控制台字号</translation>
    </message>
    <message>
        <source>Serial console f&amp;ont:</source>
        <translation>串行控制台字体(&amp;O)：</translation>
    </message>
    <message>
        <source> lines</source>
        <translation> 行</translation>
    </message>
    <message>
        <source>Serial scroll&amp;back:</source>
        <translation>串行回滚行数(&amp;B)：</translation>
    </message>
    <message>
        <source>Serial scrollback</source>
        <translation>串行回滚行数</translation>
    </message>
    <message>
        <source>&amp;Refresh every:</source>
        <translation>刷新间隔(&amp;R)：</translation>
    </message>
    <message>
        <source>Screenshot interval</source>
        <translation>截图间隔</translation>
    </message>
    <message>
        <source>Screenshot folder</source>
        <translation>截图文件夹</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Browse for the screenshot folder</source>
        <translation>浏览截图文件夹</translation>
    </message>
    <message>
        <source>F&amp;older:</source>
        <translation>文件夹(&amp;O)：</translation>
    </message>
    <message>
        <source>Screenshot file names</source>
        <translation>截图文件名</translation>
    </message>
    <message>
        <source>File &amp;names:</source>
        <translation>文件名(&amp;N)：</translation>
    </message>
    <message>
        <source>Enter a full path for the screenshot folder, starting with “/”.</source>
        <translation>请输入截图文件夹的完整路径，以“/”开头。</translation>
    </message>
    <message>
        <source>The folder {0} does not exist.</source>
        <translation>文件夹 {0} 不存在。</translation>
    </message>
    <message>
        <source>File names can use {connection}, {domain}, {uuid} and {time}, and no “/”; this template is not stored.</source>
        <translation>文件名可以使用 {connection}、{domain}、{uuid} 和 {time}，不能包含“/”；此模板未保存。</translation>
    </message>
    <message>
        <source>Folder for Screenshots</source>
        <translation>截图文件夹</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Drive</source>
        <translation>驱动器</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>RedirForm</name>
    <message>
        <source>Redirect:</source>
        <translation>重定向：</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>主机：</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
</context>
<context>
    <name>RedirPage</name>
    <message>
        <source>Redirect:</source>
        <translation>重定向：</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>主机：</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
</context>
<context>
    <name>RunningComparison</name>
    <message>
        <source>Running now (read-only)</source>
        <translation>当前运行（只读）</translation>
    </message>
    <message>
        <source>Next boot</source>
        <translation>下次引导</translation>
    </message>
    <message>
        <source>This virtual machine is running. Changes take effect at the next boot.</source>
        <translation>此虚拟机正在运行。更改将在下次引导时生效。</translation>
    </message>
    <message>
        <source>Compare with R&amp;unning</source>
        <translation>与运行中的配置比较(&amp;U)</translation>
    </message>
    <message>
        <source>Show the running configuration beside the one for the next boot</source>
        <translation>在下次引导的配置旁显示运行中的配置</translation>
    </message>
    <message>
        <source>Hide &amp;Running</source>
        <translation>隐藏运行中的配置(&amp;R)</translation>
    </message>
    <message numerus="yes">
        <source>Next boot — %n line(s) differ from the running configuration</source>
        <translation>
            <numerusform>下次引导 — 有 %n 行与运行中的配置不同</numerusform>
        </translation>
    </message>
    <message>
        <source>Next boot — the same as the running configuration</source>
        <translation>下次引导 — 与运行中的配置相同</translation>
    </message>
</context>
<context>
    <name>SavedFileActions</name>
    <message>
        <source>Res&amp;tore from File…</source>
        <translation>从文件恢复(&amp;T)…</translation>
    </message>
    <message>
        <source>Start a virtual machine from a file its memory was saved to</source>
        <translation>从保存了虚拟机内存的文件启动虚拟机</translation>
    </message>
    <message>
        <source>Restore from File</source>
        <translation>从文件恢复</translation>
    </message>
</context>
<context>
    <name>ScreenshotView</name>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Save the screenshot as PNG</source>
        <translation>将屏幕截图保存为 PNG</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the screenshot</source>
        <translation>复制屏幕截图</translation>
    </message>
    <message>
        <source>1:1</source>
        <translation>1:1</translation>
    </message>
    <message>
        <source>Show the screen pixel for pixel</source>
        <translation>逐像素显示屏幕</translation>
    </message>
    <message>
        <source>Send Key</source>
        <translation>发送按键</translation>
    </message>
    <message>
        <source>Send keys to the guest</source>
        <translation>向客户机发送按键</translation>
    </message>
    <message>
        <source>Keyboard</source>
        <translation>键盘</translation>
    </message>
    <message>
        <source>Send keyboard input to the guest while the screen has focus</source>
        <translation>屏幕获得焦点时将键盘输入发送给客户机</translation>
    </message>
    <message>
        <source>Capture After a Delay</source>
        <translation>延时截图</translation>
    </message>
    <message>
        <source>Capture in {0} s…</source>
        <translation>{0} 秒后截图…</translation>
    </message>
    <message>
        <source>Capture All Running…</source>
        <translation>为所有正在运行的虚拟机截图…</translation>
    </message>
    <message>
        <source>More</source>
        <translation>更多</translation>
    </message>
    <message>
        <source>More ways to capture</source>
        <translation>更多截图方式</translation>
    </message>
    <message>
        <source>How often the picture is refreshed</source>
        <translation>画面刷新的频率</translation>
    </message>
    <message>
        <source>every {0}</source>
        <translation>每 {0}</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>No virtual machine selected.</source>
        <translation>未选择虚拟机。</translation>
    </message>
    <message>
        <source>Waiting for the first picture…</source>
        <translation>正在等待第一幅画面…</translation>
    </message>
    <message>
        <source>Keyboard input was not sent</source>
        <translation>键盘输入未发送</translation>
    </message>
    <message>
        <source>Its screen is shown here while it runs.</source>
        <translation>虚拟机运行时，其屏幕显示在这里。</translation>
    </message>
    <message>
        <source>kvmdesk tries again while this tab is open.</source>
        <translation>此标签页打开时，kvmdesk 会再次尝试。</translation>
    </message>
    <message>
        <source>Keys go to the guest. {0} gives them back.</source>
        <translation>按键发送到客户机。按 {0} 交还键盘。</translation>
    </message>
</context>
<context>
    <name>SearchBox</name>
    <message>
        <source>Search: web state:running tag:prod mem&gt;4G</source>
        <translation>搜索：web state:running tag:prod mem&gt;4G</translation>
    </message>
    <message>
        <source>Words match names and tags. Fields: name: state: host: tag: os: ip:, mem&gt;4G, cpu&gt;50%, vcpus&gt;=4. Negate with - or NOT, either side with OR; quotes keep spaces.</source>
        <translation>词语匹配名称和标签。字段：name: state: host: tag: os: ip:、mem&gt;4G、cpu&gt;50%、vcpus&gt;=4。用 - 或 NOT 取反，用 OR 表示任一侧；引号可保留空格。</translation>
    </message>
    <message>
        <source>What the search cannot read</source>
        <translation>搜索中无法识别的内容</translation>
    </message>
    <message>
        <source>Clear the search</source>
        <translation>清除搜索</translation>
    </message>
</context>
<context>
    <name>SendKeysMenu</name>
    <message>
        <source>Send &amp;Key</source>
        <translation>发送按键(&amp;K)</translation>
    </message>
    <message>
        <source>Ctrl+Alt+F1…F12</source>
        <translation>Ctrl+Alt+F1…F12</translation>
    </message>
    <message>
        <source>Type Text…</source>
        <translation>输入文本…</translation>
    </message>
    <message>
        <source>Type Text</source>
        <translation>输入文本</translation>
    </message>
    <message>
        <source>{0} was not sent</source>
        <translation>{0} 未发送</translation>
    </message>
</context>
<context>
    <name>SerialPage</name>
    <message>
        <source>ISA (the machine&apos;s default)</source>
        <translation>ISA（机器的默认值）</translation>
    </message>
    <message>
        <source>PCI (can be added while the guest runs)</source>
        <translation>PCI（可在客户机运行时添加）</translation>
    </message>
    <message>
        <source>USB</source>
        <translation>USB</translation>
    </message>
    <message>
        <source>Port type:</source>
        <translation>端口类型：</translation>
    </message>
</context>
<context>
    <name>ShareForm</name>
    <message>
        <source>Filesystem Share</source>
        <translation>文件系统共享</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>virtiofs needs the guest&apos;s memory to be shared; it is not now.</source>
        <translation>virtiofs 需要客户机的内存为共享内存；目前不是。</translation>
    </message>
    <message>
        <source>Turn On Shared Memory</source>
        <translation>开启共享内存</translation>
    </message>
    <message>
        <source>Driver:</source>
        <translation>驱动程序：</translation>
    </message>
    <message>
        <source>Host folder:</source>
        <translation>主机文件夹：</translation>
    </message>
    <message>
        <source>Mount tag in the guest:</source>
        <translation>客户机中的挂载标签：</translation>
    </message>
    <message>
        <source>Access mode (9p):</source>
        <translation>访问模式（9p）：</translation>
    </message>
    <message>
        <source>Shared memory is turned on with this change.</source>
        <translation>此更改将开启共享内存。</translation>
    </message>
</context>
<context>
    <name>SharePage</name>
    <message>
        <source>Read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>Turn on shared memory (virtiofs needs it)</source>
        <translation>开启共享内存（virtiofs 需要它）</translation>
    </message>
    <message>
        <source>Driver:</source>
        <translation>驱动程序：</translation>
    </message>
    <message>
        <source>Host folder:</source>
        <translation>主机文件夹：</translation>
    </message>
    <message>
        <source>Mount tag in the guest:</source>
        <translation>客户机中的挂载标签：</translation>
    </message>
</context>
<context>
    <name>SnapshotsPage</name>
    <message>
        <source>&amp;Take Snapshot…</source>
        <translation>创建快照(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Revert…</source>
        <translation>恢复(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Edit Description…</source>
        <translation>编辑描述(&amp;E)…</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Snapshots</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>Reading the snapshots…</source>
        <translation>正在读取快照…</translation>
    </message>
    <message>
        <source>The connection was lost while this ran. After reconnecting, the host shows it did not happen.</source>
        <translation>运行期间连接丢失。重新连接后，主机显示该操作未执行。</translation>
    </message>
    <message>
        <source>This virtual machine has no snapshots.</source>
        <translation>此虚拟机没有快照。</translation>
    </message>
    <message>
        <source>{0} (current)</source>
        <translation>{0}（当前）</translation>
    </message>
    <message>
        <source>Internal snapshots are not possible:</source>
        <translation>无法创建内部快照：</translation>
    </message>
    <message>
        <source>Disk-only snapshots are not possible:</source>
        <translation>无法创建仅磁盘快照：</translation>
    </message>
    <message>
        <source>libvirt on this host cannot revert to external snapshots (it needs 9.9 or later).</source>
        <translation>此主机上的 libvirt 无法恢复到外部快照（需要 9.9 或更高版本）。</translation>
    </message>
    <message>
        <source>{0}; taken while {1}.</source>
        <translation>{0}；创建时{1}。</translation>
    </message>
    <message>
        <source>Files: {0}</source>
        <translation>文件：{0}</translation>
    </message>
    <message>
        <source>No screenshot</source>
        <translation>无屏幕截图</translation>
    </message>
</context>
<context>
    <name>TagDialog</name>
    <message>
        <source>Edit Tags</source>
        <translation>编辑标签</translation>
    </message>
    <message>
        <source>Tags of {0} on {1}.</source>
        <translation>{1} 上 {0} 的标签。</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>暂无</translation>
    </message>
    <message>
        <source>Now: {0}</source>
        <translation>当前：{0}</translation>
    </message>
    <message>
        <source>prod web</source>
        <translation>prod web</translation>
    </message>
    <message>
        <source>legacy</source>
        <translation>legacy</translation>
    </message>
    <message>
        <source>&amp;Add:</source>
        <translation>添加(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Remove:</source>
        <translation>删除(&amp;R)：</translation>
    </message>
    <message>
        <source>Type tags to add or to remove.</source>
        <translation>请输入要添加或删除的标签。</translation>
    </message>
</context>
<context>
    <name>TerminalView</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
</context>
<context>
    <name>TypeTextDialog</name>
    <message>
        <source>Text to type in the guest</source>
        <translation>要在客户机中输入的文本</translation>
    </message>
    <message>
        <source>Press Enter afterwards</source>
        <translation>输入后按 Enter 键</translation>
    </message>
    <message>
        <source>Text:</source>
        <translation>文本：</translation>
    </message>
    <message>
        <source>Enter some text to type.</source>
        <translation>请输入要输入的文本。</translation>
    </message>
</context>
<context>
    <name>VideoForm</name>
    <message>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>型号：</translation>
    </message>
</context>
<context>
    <name>ViewDialog</name>
    <message>
        <source>Save View</source>
        <translation>保存视图</translation>
    </message>
    <message>
        <source>e.g. Running web servers</source>
        <translation>例如：运行中的 Web 服务器</translation>
    </message>
    <message>
        <source>Everything (no search)</source>
        <translation>全部（不搜索）</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>搜索(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Group by:</source>
        <translation>分组方式(&amp;G)：</translation>
    </message>
    <message>
        <source>Columns:</source>
        <translation>列：</translation>
    </message>
    <message>
        <source>A view of this name is replaced.</source>
        <translation>将替换同名视图。</translation>
    </message>
    <message>
        <source>The search cannot be read: {0}</source>
        <translation>无法解析搜索：{0}</translation>
    </message>
</context>
<context>
    <name>ViewsSection</name>
    <message>
        <source>Saved views</source>
        <translation>已保存的视图</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>(no search)</source>
        <translation>（无搜索）</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>应用(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Delete View</source>
        <translation>删除视图(&amp;D)</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <source>&amp;New Virtual Machine…</source>
        <translation>新建虚拟机(&amp;N)…</translation>
    </message>
    <message>
        <source>New VM</source>
        <translation>新建虚拟机</translation>
    </message>
    <message>
        <source>Create a virtual machine on the selected connection</source>
        <translation>在所选连接上创建虚拟机</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Virtual Machine</source>
        <translation>虚拟机(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About kvmdesk</source>
        <translation>关于 kvmdesk(&amp;A)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Filter by name</source>
        <translation>按名称过滤</translation>
    </message>
    <message>
        <source>About kvmdesk</source>
        <translation>关于 kvmdesk</translation>
    </message>
    <message>
        <source>kvmdesk {0}

A desktop manager for KVM/QEMU virtual machines through libvirt.

Licensed under the GNU General Public License, version 2 or later.</source>
        <translation>kvmdesk {0}

通过 libvirt 管理 KVM/QEMU 虚拟机的桌面管理器。

依据 GNU 通用公共许可证第 2 版或（您选择的）任何更高版本授权。</translation>
    </message>
</context>
<context>
    <name>XmlPage</name>
    <message>
        <source>XML definition</source>
        <translation>XML 定义</translation>
    </message>
    <message>
        <source>Find in the XML</source>
        <translation>在 XML 中查找</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>&amp;Revert</source>
        <translation>还原(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>应用(&amp;A)</translation>
    </message>
    <message>
        <source>Discard the changes and show the stored XML</source>
        <translation>放弃更改并显示已保存的 XML</translation>
    </message>
    <message>
        <source>Check the XML and save it as the new definition</source>
        <translation>检查 XML 并将其保存为新的定义</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>“{0}” was not found.</source>
        <translation>未找到“{0}”。</translation>
    </message>
    <message>
        <source>Your unsaved changes are shown again. Apply saves them; Revert discards them.</source>
        <translation>重新显示了您未保存的更改。“应用”会保存它们；“还原”会放弃它们。</translation>
    </message>
</context>
<context>
    <name>hostcheck.acceleration.emulation</name>
    <message>
        <source>KVM is not available: guests run with software emulation (domain type &apos;qemu&apos;), many times slower</source>
        <translation>KVM 不可用：客户机以软件模拟方式运行（域类型 &apos;qemu&apos;），速度会慢很多倍</translation>
    </message>
</context>
<context>
    <name>hostcheck.acceleration.emulation_unconfirmed</name>
    <message>
        <source>KVM is not available on this machine: guests would run with software emulation, many times slower (libvirt was not reached, so not even emulation is confirmed)</source>
        <translation>本机上没有可用的 KVM：客户机将以软件模拟方式运行，速度会慢很多倍（未能连接 libvirt，因此连模拟也无法确认）</translation>
    </message>
</context>
<context>
    <name>hostcheck.acceleration.full</name>
    <message>
        <source>Guests run with KVM at hardware speed: {hw}; {evidence}{unconfirmed}</source>
        <translation>客户机以硬件速度运行 KVM：{hw}；{evidence}{unconfirmed}</translation>
    </message>
</context>
<context>
    <name>hostcheck.acceleration.hidden</name>
    <message>
        <source>KVM is exposed but the CPU flags are hidden: neither vmx (Intel VT-x) nor svm (AMD-V) appears in {where}, yet {evidence}. This looks like a nested or virtualized host; KVM guests may misbehave.{pvm}</source>
        <translation>KVM 已提供，但 CPU 标志被隐藏：{where} 中既没有 vmx（Intel VT-x）也没有 svm（AMD-V），但 {evidence}。这看起来是嵌套或虚拟化的主机；KVM 客户机可能运行异常。{pvm}</translation>
    </message>
</context>
<context>
    <name>hostcheck.acceleration.hw_generic</name>
    <message>
        <source>hardware virtualization</source>
        <translation>硬件虚拟化</translation>
    </message>
</context>
<context>
    <name>hostcheck.acceleration.none</name>
    <message>
        <source>No guest can run: libvirt offers neither KVM (domain type &apos;kvm&apos;) nor emulation (domain type &apos;qemu&apos;) for {arch}</source>
        <translation>没有客户机可以运行：libvirt 既不为 {arch} 提供 KVM（域类型 &apos;kvm&apos;），也不提供模拟（域类型 &apos;qemu&apos;）</translation>
    </message>
</context>
<context>
    <name>hostcheck.acceleration.not_qemu</name>
    <message>
        <source>This connection uses libvirt&apos;s {driver} driver, which does not run QEMU/KVM guests</source>
        <translation>此连接使用 libvirt 的 {driver} 驱动程序，它不运行 QEMU/KVM 客户机</translation>
    </message>
</context>
<context>
    <name>hostcheck.acceleration.pvm_note</name>
    <message>
        <source> KVM comes from kvm_pvm (PVM), which needs no VT-x/AMD-V; guest kernels without PVM support can hang early in boot.</source>
        <translation> KVM 来自 kvm_pvm（PVM），它不需要 VT-x/AMD-V；不支持 PVM 的客户机内核可能在引导早期挂起。</translation>
    </message>
</context>
<context>
    <name>hostcheck.acceleration.title</name>
    <message>
        <source>KVM acceleration</source>
        <translation>KVM 加速</translation>
    </message>
</context>
<context>
    <name>hostcheck.acceleration.unconfirmed</name>
    <message>
        <source> (libvirt was not reached, so it is not confirmed there)</source>
        <translation>（未能连接 libvirt，因此在那里未得到确认）</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.ask_nested</name>
    <message>
        <source>For full-speed KVM, ask for nested virtualization (VT-x/AMD-V exposed to this machine) on the machine below.</source>
        <translation>要以全速运行 KVM，请在下层机器上为本机开启嵌套虚拟化（向本机提供 VT-x/AMD-V）。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.check_qemu_uri</name>
    <message>
        <source>Check a QEMU connection instead: kvmdesk check -c qemu:///system</source>
        <translation>请改为检查 QEMU 连接：kvmdesk check -c qemu:///system</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.dmesg</name>
    <message>
        <source>Read the kernel&apos;s own reason: sudo dmesg | grep -i kvm</source>
        <translation>查看内核自己给出的原因：sudo dmesg | grep -i kvm</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.enable_iommu</name>
    <message>
        <source>Only needed for PCI passthrough: enable VT-d or AMD-Vi (IOMMU) in the firmware and, on Intel, add intel_iommu=on to the kernel command line; then reboot.</source>
        <translation>仅在需要 PCI 直通时才需要：在固件中启用 VT-d 或 AMD-Vi（IOMMU），在 Intel 平台上还需将 intel_iommu=on 添加到内核命令行；然后重新引导。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.enable_nested</name>
    <message>
        <source>Only needed for hypervisors inside guests: echo &apos;options {module} nested=1&apos; | sudo tee /etc/modprobe.d/kvm-nested.conf, then with no guest running: sudo modprobe -r {module} &amp;&amp; sudo modprobe {module}</source>
        <translation>仅在客户机内部运行虚拟机管理程序时才需要：echo &apos;options {module} nested=1&apos; | sudo tee /etc/modprobe.d/kvm-nested.conf，然后在没有客户机运行时执行：sudo modprobe -r {module} &amp;&amp; sudo modprobe {module}</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.enable_nx</name>
    <message>
        <source>Enable “Execute Disable Bit” (Intel XD) or “NX” in the firmware setup.</source>
        <translation>在固件设置中启用“Execute Disable Bit”（Intel XD）或“NX”。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.firmware</name>
    <message>
        <source>Enable Intel VT-x or AMD-V (SVM) in the firmware setup (BIOS/UEFI), then power the machine off and on.</source>
        <translation>在固件设置（BIOS/UEFI）中启用 Intel VT-x 或 AMD-V（SVM），然后将机器断电再开机。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.fix_kvm_first</name>
    <message>
        <source>Make KVM work on this machine first (see the other lines); libvirt offers it after a restart: sudo systemctl restart libvirtd.</source>
        <translation>请先让 KVM 在本机上工作（见其他各行）；重启 libvirt 后它就会提供 KVM：sudo systemctl restart libvirtd。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.generic_kvm</name>
    <message>
        <source>Enable Intel VT-x or AMD-V in the firmware, load kvm_intel or kvm_amd, and join the &apos;kvm&apos; group if /dev/kvm refuses you.</source>
        <translation>在固件中启用 Intel VT-x 或 AMD-V，加载 kvm_intel 或 kvm_amd，如果 /dev/kvm 拒绝访问，请加入 &apos;kvm&apos; 组。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.install_qemu</name>
    <message>
        <source>Install QEMU&apos;s system emulator for {arch} (Debian/Ubuntu: {package}; Fedora: qemu-kvm), then restart libvirt.</source>
        <translation>安装适用于 {arch} 的 QEMU 系统模拟器（Debian/Ubuntu：{package}；Fedora：qemu-kvm），然后重启 libvirt。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.join_group</name>
    <message>
        <source>Join the &apos;{group}&apos; group that owns /dev/kvm: sudo usermod -aG {group} {user}, then log out and in again.</source>
        <translation>加入拥有 /dev/kvm 的 &apos;{group}&apos; 组：sudo usermod -aG {group} {user}，然后注销并重新登录。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.kernel_kvm</name>
    <message>
        <source>Use the KVM modules that come with the running kernel.</source>
        <translation>请使用随当前运行的内核提供的 KVM 模块。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.kvm_kernel</name>
    <message>
        <source>This kernel cannot load modules (there is no /proc/modules): KVM needs a kernel built with CONFIG_KVM_INTEL or CONFIG_KVM_AMD.</source>
        <translation>此内核无法加载模块（没有 /proc/modules）：KVM 需要使用 CONFIG_KVM_INTEL 或 CONFIG_KVM_AMD 构建的内核。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.load_vhost_net</name>
    <message>
        <source>Load it: sudo modprobe vhost_net (add vhost_net to /etc/modules to keep it after a reboot).</source>
        <translation>加载它：sudo modprobe vhost_net（将 vhost_net 添加到 /etc/modules 可在重新引导后保留）。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.modprobe</name>
    <message>
        <source>Load KVM: sudo modprobe {module} (if it says “Operation not supported”, virtualization is off in the firmware).</source>
        <translation>加载 KVM：sudo modprobe {module}（如果提示“Operation not supported”，说明固件中的虚拟化已关闭）。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.modprobe_any</name>
    <message>
        <source>Load KVM: sudo modprobe kvm_intel (Intel) or sudo modprobe kvm_amd (AMD); if it says “Operation not supported”, virtualization is off in the firmware.</source>
        <translation>加载 KVM：sudo modprobe kvm_intel（Intel）或 sudo modprobe kvm_amd（AMD）；如果提示“Operation not supported”，说明固件中的虚拟化已关闭。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.nested_elsewhere</name>
    <message>
        <source>Only needed for hypervisors inside guests; that takes a host with VT-x/AMD-V visible and the nested option of kvm_intel/kvm_amd on.</source>
        <translation>仅在客户机内部运行虚拟机管理程序时才需要；这需要一台可见 VT-x/AMD-V 并开启了 kvm_intel/kvm_amd 嵌套选项的主机。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.outer_nested</name>
    <message>
        <source>This machine is itself a virtual machine: ask for nested virtualization on the machine that hosts it (a VM setting or cloud instance type that exposes VT-x/AMD-V).</source>
        <translation>本机本身就是一台虚拟机：请在承载它的机器上开启嵌套虚拟化（通过虚拟机设置或提供 VT-x/AMD-V 的云实例类型）。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.prefer_emulation</name>
    <message>
        <source>If KVM guests hang at boot, prefer emulation: domain type &apos;qemu&apos; (&lt;domain type=&apos;qemu&apos;&gt;), slower but dependable.</source>
        <translation>如果 KVM 客户机在引导时挂起，请改用模拟：域类型 &apos;qemu&apos;（&lt;domain type=&apos;qemu&apos;&gt;），较慢但可靠。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.relogin</name>
    <message>
        <source>You are in the &apos;{group}&apos; group, but this login session started before you joined it: log out and in again (or run: newgrp {group}).</source>
        <translation>您已在 &apos;{group}&apos; 组中，但当前登录会话是在您加入该组之前开始的：请注销并重新登录（或运行：newgrp {group}）。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.remote_kvm</name>
    <message>
        <source>On that host: enable Intel VT-x or AMD-V in the firmware, load kvm_intel or kvm_amd, make sure /dev/kvm exists, then restart libvirt (virt-host-validate qemu there tells what is missing).</source>
        <translation>在该主机上：在固件中启用 Intel VT-x 或 AMD-V，加载 kvm_intel 或 kvm_amd，确保 /dev/kvm 存在，然后重启 libvirt（在那里运行 virt-host-validate qemu 可查看缺少什么）。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.remote_reach</name>
    <message>
        <source>Check that the host answers and runs libvirtd: virsh -c {uri} uri</source>
        <translation>请检查主机是否响应并运行着 libvirtd：virsh -c {uri} uri</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.restart_libvirt</name>
    <message>
        <source>Restart libvirt so that it probes KVM again: sudo systemctl restart libvirtd (or virtqemud on modular daemons).</source>
        <translation>重启 libvirt 以使其重新探测 KVM：sudo systemctl restart libvirtd（模块化守护进程则为 virtqemud）。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.see_acceleration</name>
    <message>
        <source>KVM works all the same, through whatever hides the flags; see “KVM acceleration”.</source>
        <translation>KVM 仍然可以工作，只是某种机制隐藏了这些标志；请参阅“KVM 加速”。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.start_libvirt</name>
    <message>
        <source>Start libvirt: sudo systemctl start libvirtd (or virtqemud.socket on modular daemons), then run this check again.</source>
        <translation>启动 libvirt：sudo systemctl start libvirtd（模块化守护进程则为 virtqemud.socket），然后再次运行此检查。</translation>
    </message>
</context>
<context>
    <name>hostcheck.advice.vhost_net_kernel</name>
    <message>
        <source>This kernel cannot load modules (there is no /proc/modules): vhost-net needs a kernel built with CONFIG_VHOST_NET.</source>
        <translation>此内核无法加载模块（没有 /proc/modules）：vhost-net 需要使用 CONFIG_VHOST_NET 构建的内核。</translation>
    </message>
</context>
<context>
    <name>hostcheck.arch.unknown</name>
    <message>
        <source>the host architecture</source>
        <translation>主机架构</translation>
    </message>
</context>
<context>
    <name>hostcheck.cpu_flags.absent</name>
    <message>
        <source>Neither vmx (Intel VT-x) nor svm (AMD-V) is among the CPU flags in {where}{vm}</source>
        <translation>{where} 的 CPU 标志中既没有 vmx（Intel VT-x）也没有 svm（AMD-V）{vm}</translation>
    </message>
</context>
<context>
    <name>hostcheck.cpu_flags.present</name>
    <message>
        <source>{name}: {where} includes the {flag} flag</source>
        <translation>{name}：{where} 包含 {flag} 标志</translation>
    </message>
</context>
<context>
    <name>hostcheck.cpu_flags.title</name>
    <message>
        <source>Hardware virtualization</source>
        <translation>硬件虚拟化</translation>
    </message>
</context>
<context>
    <name>hostcheck.cpu_flags.vm_note</name>
    <message>
        <source>; the &apos;hypervisor&apos; flag says this machine is itself a virtual machine</source>
        <translation>；&apos;hypervisor&apos; 标志表明本机本身就是一台虚拟机</translation>
    </message>
</context>
<context>
    <name>hostcheck.emulation.absent</name>
    <message>
        <source>libvirt offers no domain type &apos;qemu&apos; for {arch}</source>
        <translation>libvirt 不为 {arch} 提供域类型 &apos;qemu&apos;</translation>
    </message>
</context>
<context>
    <name>hostcheck.emulation.offered</name>
    <message>
        <source>Domain type &apos;qemu&apos; (software emulation, no KVM needed) is offered for {arch}{emulator}</source>
        <translation>为 {arch} 提供域类型 &apos;qemu&apos;（软件模拟，不需要 KVM）{emulator}</translation>
    </message>
</context>
<context>
    <name>hostcheck.emulation.title</name>
    <message>
        <source>Emulation</source>
        <translation>模拟</translation>
    </message>
</context>
<context>
    <name>hostcheck.error.unknown</name>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
</context>
<context>
    <name>hostcheck.evidence.both</name>
    <message>
        <source>{device} and {libvirt}</source>
        <translation>{device}，并且{libvirt}</translation>
    </message>
</context>
<context>
    <name>hostcheck.evidence.device_answers</name>
    <message>
        <source>/dev/kvm answers (KVM API version {version})</source>
        <translation>/dev/kvm 有响应（KVM API 版本 {version}）</translation>
    </message>
</context>
<context>
    <name>hostcheck.evidence.device_exists</name>
    <message>
        <source>/dev/kvm exists</source>
        <translation>/dev/kvm 存在</translation>
    </message>
</context>
<context>
    <name>hostcheck.evidence.libvirt_offers</name>
    <message>
        <source>libvirt offers domain type &apos;kvm&apos; for {arch}</source>
        <translation>libvirt 为 {arch} 提供域类型 &apos;kvm&apos;</translation>
    </message>
</context>
<context>
    <name>hostcheck.iommu.absent</name>
    <message>
        <source>No active IOMMU (Intel VT-d / AMD-Vi): PCI devices cannot be passed to guests</source>
        <translation>没有活动的 IOMMU（Intel VT-d / AMD-Vi）：无法将 PCI 设备直通给客户机</translation>
    </message>
</context>
<context>
    <name>hostcheck.iommu.active</name>
    <message>
        <source>{kind} is active ({devices}; {groups} IOMMU groups)</source>
        <translation>{kind} 已激活（{devices}；{groups} 个 IOMMU 组）</translation>
    </message>
</context>
<context>
    <name>hostcheck.iommu.libvirt_yes</name>
    <message>
        <source>libvirt reports IOMMU support</source>
        <translation>libvirt 报告支持 IOMMU</translation>
    </message>
</context>
<context>
    <name>hostcheck.iommu.title</name>
    <message>
        <source>IOMMU (device passthrough)</source>
        <translation>IOMMU（设备直通）</translation>
    </message>
</context>
<context>
    <name>hostcheck.kvm_device.answers</name>
    <message>
        <source>/dev/kvm answers: KVM API version {version}</source>
        <translation>/dev/kvm 有响应：KVM API 版本 {version}</translation>
    </message>
</context>
<context>
    <name>hostcheck.kvm_device.bad_version</name>
    <message>
        <source>/dev/kvm answers with KVM API version {version}, not {expected}: QEMU will refuse it</source>
        <translation>/dev/kvm 响应的 KVM API 版本为 {version}，而不是 {expected}：QEMU 将拒绝使用它</translation>
    </message>
</context>
<context>
    <name>hostcheck.kvm_device.denied</name>
    <message>
        <source>/dev/kvm exists but {user} may not open it ({error}){note}</source>
        <translation>/dev/kvm 存在，但 {user} 无权打开它（{error}）{note}</translation>
    </message>
</context>
<context>
    <name>hostcheck.kvm_device.missing</name>
    <message>
        <source>/dev/kvm does not exist: the kernel offers no KVM on this machine</source>
        <translation>/dev/kvm 不存在：内核在本机上不提供 KVM</translation>
    </message>
</context>
<context>
    <name>hostcheck.kvm_device.silent</name>
    <message>
        <source>/dev/kvm exists but does not answer: {error}</source>
        <translation>/dev/kvm 存在但没有响应：{error}</translation>
    </message>
</context>
<context>
    <name>hostcheck.kvm_device.system_note</name>
    <message>
        <source>; libvirt&apos;s system daemon still uses KVM, but qemu:///session and QEMU started by you cannot</source>
        <translation>；libvirt 的系统守护进程仍可使用 KVM，但 qemu:///session 和您自己启动的 QEMU 不能</translation>
    </message>
</context>
<context>
    <name>hostcheck.kvm_device.title</name>
    <message>
        <source>KVM device</source>
        <translation>KVM 设备</translation>
    </message>
</context>
<context>
    <name>hostcheck.libvirt.connected</name>
    <message>
        <source>Connected to {uri}{versions}</source>
        <translation>已连接到 {uri}{versions}</translation>
    </message>
</context>
<context>
    <name>hostcheck.libvirt.title</name>
    <message>
        <source>libvirt connection</source>
        <translation>libvirt 连接</translation>
    </message>
</context>
<context>
    <name>hostcheck.libvirt.unreachable_local</name>
    <message>
        <source>libvirt could not be reached at {uri}: {error}. The checks below come from this machine only</source>
        <translation>无法在 {uri} 连接 libvirt：{error}。以下检查仅来自本机</translation>
    </message>
</context>
<context>
    <name>hostcheck.libvirt.unreachable_remote</name>
    <message>
        <source>libvirt could not be reached at {uri}: {error}. Nothing about that host could be checked</source>
        <translation>无法在 {uri} 连接 libvirt：{error}。无法检查该主机的任何信息</translation>
    </message>
</context>
<context>
    <name>hostcheck.libvirt_kvm.absent</name>
    <message>
        <source>libvirt offers no domain type &apos;kvm&apos; for {arch}{why}</source>
        <translation>libvirt 不为 {arch} 提供域类型 &apos;kvm&apos;{why}</translation>
    </message>
</context>
<context>
    <name>hostcheck.libvirt_kvm.domcaps_failed</name>
    <message>
        <source>libvirt lists domain type &apos;kvm&apos; for {arch}, but its domain capabilities fail: {error}</source>
        <translation>libvirt 为 {arch} 列出了域类型 &apos;kvm&apos;，但其域功能查询失败：{error}</translation>
    </message>
</context>
<context>
    <name>hostcheck.libvirt_kvm.domcaps_ok</name>
    <message>
        <source>; its domain capabilities for &apos;kvm&apos; answer</source>
        <translation>；其 &apos;kvm&apos; 的域功能查询有响应</translation>
    </message>
</context>
<context>
    <name>hostcheck.libvirt_kvm.domcaps_unavailable</name>
    <message>
        <source>; its domain capabilities could not be asked ({error})</source>
        <translation>；无法查询其域功能（{error}）</translation>
    </message>
</context>
<context>
    <name>hostcheck.libvirt_kvm.no_capabilities</name>
    <message>
        <source>libvirt returned no readable capabilities</source>
        <translation>libvirt 没有返回可读的功能信息</translation>
    </message>
</context>
<context>
    <name>hostcheck.libvirt_kvm.offered</name>
    <message>
        <source>Domain type &apos;kvm&apos; is offered for {arch}{emulator}{confirmed}</source>
        <translation>为 {arch} 提供域类型 &apos;kvm&apos;{emulator}{confirmed}</translation>
    </message>
</context>
<context>
    <name>hostcheck.libvirt_kvm.title</name>
    <message>
        <source>libvirt offers KVM</source>
        <translation>libvirt 提供 KVM</translation>
    </message>
</context>
<context>
    <name>hostcheck.modules.builtin</name>
    <message>
        <source>KVM is built into the kernel (/dev/kvm answers; no kvm modules are listed)</source>
        <translation>KVM 已内置于内核中（/dev/kvm 有响应；未列出 kvm 模块）</translation>
    </message>
</context>
<context>
    <name>hostcheck.modules.loaded</name>
    <message>
        <source>Loaded: {modules}{pvm}</source>
        <translation>已加载：{modules}{pvm}</translation>
    </message>
</context>
<context>
    <name>hostcheck.modules.no_vendor</name>
    <message>
        <source>kvm is loaded, but not kvm_intel or kvm_amd</source>
        <translation>已加载 kvm，但未加载 kvm_intel 或 kvm_amd</translation>
    </message>
</context>
<context>
    <name>hostcheck.modules.none</name>
    <message>
        <source>Not loaded: kvm and kvm_intel/kvm_amd</source>
        <translation>未加载：kvm 和 kvm_intel/kvm_amd</translation>
    </message>
</context>
<context>
    <name>hostcheck.modules.pvm_note</name>
    <message>
        <source>; kvm_pvm is PVM, a KVM back end that needs no VT-x/AMD-V, meant for hosts that are themselves virtual machines</source>
        <translation>；kvm_pvm 即 PVM，一种不需要 VT-x/AMD-V 的 KVM 后端，适用于本身就是虚拟机的主机</translation>
    </message>
</context>
<context>
    <name>hostcheck.modules.title</name>
    <message>
        <source>KVM kernel modules</source>
        <translation>KVM 内核模块</translation>
    </message>
</context>
<context>
    <name>hostcheck.nested.host_model_has</name>
    <message>
        <source>libvirt&apos;s host-model CPU for guests includes {flag}</source>
        <translation>libvirt 为客户机提供的 host-model CPU 包含 {flag}</translation>
    </message>
</context>
<context>
    <name>hostcheck.nested.host_model_lacks</name>
    <message>
        <source>libvirt&apos;s host-model CPU for guests has neither vmx nor svm</source>
        <translation>libvirt 为客户机提供的 host-model CPU 既没有 vmx 也没有 svm</translation>
    </message>
</context>
<context>
    <name>hostcheck.nested.off</name>
    <message>
        <source>Off: guests cannot run KVM themselves ({setting})</source>
        <translation>关闭：客户机本身不能运行 KVM（{setting}）</translation>
    </message>
</context>
<context>
    <name>hostcheck.nested.on</name>
    <message>
        <source>On: guests can run KVM themselves ({setting})</source>
        <translation>开启：客户机本身可以运行 KVM（{setting}）</translation>
    </message>
</context>
<context>
    <name>hostcheck.nested.title</name>
    <message>
        <source>Nested virtualization</source>
        <translation>嵌套虚拟化</translation>
    </message>
</context>
<context>
    <name>hostcheck.not_checked.no_flags</name>
    <message>
        <source>Hardware virtualization and NX: /proc/cpuinfo has no x86 flags line</source>
        <translation>硬件虚拟化和 NX：/proc/cpuinfo 中没有 x86 标志行</translation>
    </message>
</context>
<context>
    <name>hostcheck.not_checked.remote</name>
    <message>
        <source>{names}: not visible through libvirt for a remote host</source>
        <translation>{names}：对于远程主机，无法通过 libvirt 查看</translation>
    </message>
</context>
<context>
    <name>hostcheck.not_checked.remote_nx</name>
    <message>
        <source>NX: libvirt names it only when the host CPU lacks it, and did not</source>
        <translation>NX：只有在主机 CPU 缺少它时 libvirt 才会列出，而它没有列出</translation>
    </message>
</context>
<context>
    <name>hostcheck.nx.absent</name>
    <message>
        <source>No nx flag: guest systems that require no-execute pages (Windows 8 and later, for example) will not start</source>
        <translation>没有 nx 标志：需要不可执行页面的客户机系统（例如 Windows 8 及更高版本）将无法启动</translation>
    </message>
</context>
<context>
    <name>hostcheck.nx.present</name>
    <message>
        <source>{where} includes nx (Intel XD / AMD NX)</source>
        <translation>{where} 包含 nx（Intel XD / AMD NX）</translation>
    </message>
</context>
<context>
    <name>hostcheck.nx.title</name>
    <message>
        <source>NX (no-execute)</source>
        <translation>NX（不可执行）</translation>
    </message>
</context>
<context>
    <name>hostcheck.summary.degraded</name>
    <message>
        <source>Guests can run, with warnings: see {warned}</source>
        <translation>客户机可以运行，但有警告：请参阅 {warned}</translation>
    </message>
</context>
<context>
    <name>hostcheck.summary.emulation</name>
    <message>
        <source>Guests can run, with warnings: KVM is not available, so they run with software emulation; see {warned}</source>
        <translation>客户机可以运行，但有警告：KVM 不可用，因此它们以软件模拟方式运行；请参阅 {warned}</translation>
    </message>
</context>
<context>
    <name>hostcheck.summary.hidden</name>
    <message>
        <source>Guests can run, with warnings: KVM is exposed but the CPU flags are hidden (nested or virtualized host); see {warned}</source>
        <translation>客户机可以运行，但有警告：KVM 已提供，但 CPU 标志被隐藏（嵌套或虚拟化的主机）；请参阅 {warned}</translation>
    </message>
</context>
<context>
    <name>hostcheck.summary.not_qemu</name>
    <message>
        <source>No QEMU/KVM guest can run through {uri}</source>
        <translation>没有 QEMU/KVM 客户机可以通过 {uri} 运行</translation>
    </message>
</context>
<context>
    <name>hostcheck.summary.ready</name>
    <message>
        <source>Guests can run with KVM acceleration</source>
        <translation>客户机可以使用 KVM 加速运行</translation>
    </message>
</context>
<context>
    <name>hostcheck.summary.ready_optional</name>
    <message>
        <source>Guests can run with KVM acceleration; optional features missing: {count}</source>
        <translation>客户机可以使用 KVM 加速运行；缺少的可选功能：{count}</translation>
    </message>
</context>
<context>
    <name>hostcheck.summary.unreachable</name>
    <message>
        <source>Nothing could be checked: libvirt not reached</source>
        <translation>无法检查任何内容：未能连接 libvirt</translation>
    </message>
</context>
<context>
    <name>hostcheck.summary.unusable</name>
    <message>
        <source>No guest can run on this host</source>
        <translation>此主机上没有客户机可以运行</translation>
    </message>
</context>
<context>
    <name>hostcheck.vhost_net.absent</name>
    <message>
        <source>No /dev/vhost-net: guest networking works, but every packet goes through QEMU in user space, which is slower</source>
        <translation>没有 /dev/vhost-net：客户机网络可以工作，但每个数据包都要经过用户空间中的 QEMU，速度较慢</translation>
    </message>
</context>
<context>
    <name>hostcheck.vhost_net.present</name>
    <message>
        <source>/dev/vhost-net exists: the kernel carries virtio network traffic</source>
        <translation>/dev/vhost-net 存在：由内核承载 virtio 网络流量</translation>
    </message>
</context>
<context>
    <name>hostcheck.vhost_net.title</name>
    <message>
        <source>vhost-net</source>
        <translation>vhost-net</translation>
    </message>
</context>
<context>
    <name>hostcheck.where.cpuinfo</name>
    <message>
        <source>/proc/cpuinfo</source>
        <translation>/proc/cpuinfo</translation>
    </message>
</context>
<context>
    <name>hostcheck.where.libvirt</name>
    <message>
        <source>the host CPU features that libvirt reports</source>
        <translation>libvirt 报告的主机 CPU 功能</translation>
    </message>
</context>
</TS>
