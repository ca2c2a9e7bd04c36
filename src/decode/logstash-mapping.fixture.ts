/**
 * Test fixture (not production code): how a logstash-codec-netflow golden field maps onto flowmap's decode output.
 * Logstash names NetFlow v9 fields with its own legacy dictionary (`in_bytes`, `ipv4_src_addr`), IPFIX fields with
 * IANA names and vendor fields with names from its own dictionary. flowmap prints IANA names, and vendor fields as
 * `<enterprise>:<id>` with hex values. Each entry gives the candidate flowmap keys (the first present is used) and
 * how to bring both values to one form.
 * @module
 */

/** how to compare a logstash value with flowmap's */
export type Norm =
  /** equal as JSON values */
  | 'eq'
  /** flowmap epoch ms vs logstash ISO text (compared at ms precision: logstash prints µs/ns) */
  | 'iso'
  /** flowmap epoch ms vs logstash raw seconds (NetFlow v9 IE 150/151 are not converted by logstash) */
  | 'sec'
  /** flowmap hex (vendor field) vs logstash unsigned integer */
  | 'hexUint'
  /** flowmap hex vs logstash string (NULs trimmed) */
  | 'hexStr'
  | 'hexIp4'
  | 'hexF32'
  /** logstash forwarding_status object {status, reason} vs flowmap's unsigned value (RFC 7270: 2+6 bits) */
  | 'fwdStatus'
  /** logstash RFC 6759 "engine..selector" text vs flowmap hex */
  | 'appId'
  /** Cisco ASA ACL id, three 32-bit words as "xxxxxxxx-xxxxxxxx-xxxxxxxx" */
  | 'acl'
  /** logstash MPLS label stack entry object {label, experimental, bottom_of_stack, ttl} vs flowmap's 32-bit value */
  | 'mpls';

export interface FieldMapping {
  readonly keys: readonly string[];
  readonly norm: Norm;
}

const m = (keys: string | readonly string[], norm: Norm = 'eq'): FieldMapping => ({
  keys: typeof keys === 'string' ? [keys] : keys,
  norm,
});

/** logstash NetFlow v5/v9 dictionary names (netflow.yaml) */
export const V9_NAMES: Readonly<Record<string, FieldMapping>> = {
  in_bytes: m('octetDeltaCount'),
  in_pkts: m('packetDeltaCount'),
  flows: m('deltaFlowCount'),
  protocol: m('protocolIdentifier'),
  src_tos: m('ipClassOfService'),
  tcp_flags: m('tcpControlBits'),
  l4_src_port: m('sourceTransportPort'),
  ipv4_src_addr: m('sourceIPv4Address'),
  src_mask: m('sourceIPv4PrefixLength'),
  input_snmp: m('ingressInterface'),
  l4_dst_port: m('destinationTransportPort'),
  ipv4_dst_addr: m('destinationIPv4Address'),
  dst_mask: m('destinationIPv4PrefixLength'),
  output_snmp: m('egressInterface'),
  ipv4_next_hop: m('ipNextHopIPv4Address'),
  src_as: m('bgpSourceAsNumber'),
  dst_as: m('bgpDestinationAsNumber'),
  bgp_ipv4_next_hop: m('bgpNextHopIPv4Address'),
  out_bytes: m('postOctetDeltaCount'),
  out_pkts: m('postPacketDeltaCount'),
  icmp_type: m(['icmpTypeIPv4', 'icmpTypeCodeIPv4']),
  icmp_code: m('icmpCodeIPv4'),
  sampling_interval: m('samplingInterval'),
  sampling_algorithm: m('samplingAlgorithm'),
  flow_active_timeout: m('flowActiveTimeout'),
  flow_inactive_timeout: m('flowIdleTimeout'),
  engine_type: m('engineType'),
  engine_id: m('engineId'),
  total_bytes_exp: m('exportedOctetTotalCount'),
  total_pkts_exp: m('exportedMessageTotalCount'),
  total_flows_exp: m('exportedFlowRecordTotalCount'),
  ipv4_src_prefix: m('sourceIPv4Prefix'),
  flow_sampler_id: m('samplerId'),
  ipv4_ident: m('fragmentIdentification'),
  in_src_mac: m('sourceMacAddress'),
  out_dst_mac: m('postDestinationMacAddress'),
  src_vlan: m('vlanId'),
  dst_vlan: m('postVlanId'),
  ip_protocol_version: m('ipVersion'),
  direction: m('flowDirection'),
  in_dst_mac: m('destinationMacAddress'),
  out_src_mac: m('postSourceMacAddress'),
  if_desc: m('interfaceDescription'),
  in_permanent_bytes: m('octetTotalCount'),
  forwarding_status: m('forwardingStatus', 'fwdStatus'),
  application_description: m('applicationDescription'),
  application_id: m('applicationId', 'appId'),
  application_name: m('applicationName'),
  flow_end_reason: m('flowEndReason'),
  conn_id: m('flowId'),
  flow_start_msec: m('flowStartMilliseconds'),
  event_time_msec: m('observationTimeMilliseconds'),
  udp_dst_port: m('udpDestinationPort'),
  tcp_src_port: m('tcpSourcePort'),
  ip_dscp: m('ipDiffServCodePoint'),
  mpls_label_stack_octets: m('mplsLabelStackLength', 'mpls'),
  xlate_src_addr_ipv4: m(['postNATSourceIPv4Address', '0:40001'], 'hexIp4'),
  xlate_dst_addr_ipv4: m(['postNATDestinationIPv4Address', '0:40002'], 'hexIp4'),
  xlate_src_port: m(['postNAPTSourceTransportPort', '0:40003'], 'hexUint'),
  xlate_dst_port: m(['postNAPTDestinationTransportPort', '0:40004'], 'hexUint'),
  fw_event: m(['firewallEvent', '0:40005'], 'hexUint'),
  fwd_flow_delta_bytes: m('initiatorOctets'),
  rev_flow_delta_bytes: m('responderOctets'),
  ingress_acl_id: m('0:33000', 'acl'),
  egress_acl_id: m('0:33001', 'acl'),
  fw_ext_event: m('0:33002', 'hexUint'),
  username: m('0:40000', 'hexStr'),
  src_traffic_index: m('srcTrafficIndex'),
  dst_traffic_index: m('dstTrafficIndex'),
  scope_system: m('scopeSystem'),
  app_id: m('0:56701', 'hexStr'),
  user_id: m('0:56702', 'hexStr'),
  nprobe_proto: m('0:57590', 'hexUint'),
  nprobe_proto_name: m('0:57591', 'hexStr'),
  flowStartSeconds: m('flowStartSeconds', 'sec'),
  flowEndSeconds: m('flowEndSeconds', 'sec'),
  streamcore_wan_rtt: m('0:8192', 'hexUint'),
  streamcore_net_app_resp_time: m('0:8193', 'hexUint'),
  streamcore_total_app_resp_time: m('0:8194', 'hexUint'),
  streamcore_tcp_retrans_rate: m('0:8195', 'hexUint'),
  streamcore_call_direction: m('0:8196', 'hexUint'),
  streamcore_hostname: m('0:8256', 'hexStr'),
  streamcore_url: m('0:8257', 'hexStr'),
  ...Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [`streamcore_id_rule_${i + 1}`, m(`0:${8384 + i}`, 'hexUint')]),
  ),
};

/** logstash names of enterprise IPFIX fields that have no registry name (ids as in its ipfix.yaml) */
export const ENTERPRISE_NAMES: Readonly<Record<string, FieldMapping>> = {
  // Barracuda (PEN 10704)
  Timestamp: m('10704:1', 'hexUint'),
  LogOp: m('10704:2', 'hexUint'),
  TrafficType: m('10704:3', 'hexUint'),
  FW_Rule: m('10704:4', 'hexStr'),
  ServiceName: m('10704:5', 'hexStr'),
  Reason: m('10704:6', 'hexUint'),
  ReasonText: m('10704:7', 'hexStr'),
  BindIPv4Address: m('10704:8', 'hexIp4'),
  BindTransportPort: m('10704:9', 'hexUint'),
  ConnIPv4Address: m('10704:10', 'hexIp4'),
  ConnTransportPort: m('10704:11', 'hexUint'),
  AuditCounter: m('10704:12', 'hexUint'),
  // Nokia (PEN 637)
  natInsideSvcid: m('637:91', 'hexUint'),
  natOutsideSvcid: m('637:92', 'hexUint'),
  natSubString: m('637:93', 'hexStr'),
  // Citrix NetScaler (PEN 5951)
  netscalerRoundTripTime: m('5951:128', 'hexUint'),
  netscalerTransactionId: m('5951:129', 'hexUint'),
  netscalerHttpReqUrl: m('5951:130', 'hexStr'),
  netscalerHttpReqCookie: m('5951:131', 'hexStr'),
  netscalerFlowFlags: m('5951:132', 'hexUint'),
  netscalerConnectionId: m('5951:133', 'hexUint'),
  netscalerHttpReqReferer: m('5951:140', 'hexStr'),
  netscalerHttpReqMethod: m('5951:141', 'hexStr'),
  netscalerHttpReqHost: m('5951:142', 'hexStr'),
  netscalerHttpReqUserAgent: m('5951:143', 'hexStr'),
  netscalerAppNameAppId: m('5951:151', 'hexUint'),
  netscalerHttpResForwFB: m('5951:158', 'hexUint'),
  netscalerHttpResForwLB: m('5951:170', 'hexUint'),
  netscalerAppUnitNameAppId: m('5951:171', 'hexUint'),
  netscalerHttpContentType: m('5951:183', 'hexStr'),
  netscalerHttpReqAuthorization: m('5951:185', 'hexStr'),
  netscalerHttpReqVia: m('5951:186', 'hexStr'),
  netscalerHttpReqXForwardedFor: m('5951:190', 'hexStr'),
  netscalerConnectionChainID: m('5951:192'),
  netscalerConnectionChainHopCount: m('5951:193', 'hexUint'),
  netscalerAaaUsername: m('5951:205', 'hexStr'),
  netscalerHttpDomainName: m('5951:267', 'hexStr'),
  netscalerUnknown329: m('5951:329', 'hexUint'),
  netscalerUnknown330: m('5951:330', 'hexUint'),
  netscalerUnknown331: m('5951:331', 'hexUint'),
  netscalerUnknown332: m('5951:332', 'hexUint'),
  // Procera PacketLogic (PEN 15397)
  proceraService: m('15397:1', 'hexStr'),
  proceraBaseService: m('15397:2', 'hexStr'),
  proceraIncomingOctets: m('15397:3', 'hexUint'),
  proceraOutgoingOctets: m('15397:4', 'hexUint'),
  proceraFlowBehavior: m('15397:15', 'hexStr'),
  proceraContentCategories: m('15397:16', 'hexStr'),
  proceraHttpContentType: m('15397:21', 'hexStr'),
  proceraHttpUrl: m('15397:22', 'hexStr'),
  proceraHttpFileLength: m('15397:25', 'hexUint'),
  proceraHttpLocation: m('15397:26', 'hexStr'),
  proceraSubscriberIdentifier: m('15397:28', 'hexStr'),
  proceraTemplateName: m('15397:47', 'hexStr'),
  // VMware vSphere Distributed Switch (PEN 6876)
  vmwareEgressInterfaceAttr: m('6876:888', 'hexUint'),
  vmwareIngressInterfaceAttr: m('6876:890', 'hexUint'),
  vmwareVxlanExportRole: m('6876:889', 'hexUint'),
  vmwareUnknown888: m('6876:888', 'hexUint'),
  vmwareUnknown889: m('6876:889', 'hexUint'),
  vmwareUnknown890: m('6876:890', 'hexUint'),
  // Cisco SD-WAN / vIPtela (PEN 41916)
  viptelaVPNId: m('41916:4321', 'hexUint'),
  // Ixia IxFlow (PEN 3054): not in logstash's dictionary file; ids as Wireshark's cflow dissector names them
  ixiaL7AppId: m('3054:110', 'hexUint'),
  ixiaL7AppName: m('3054:111', 'hexStr'),
  ixiaSrcLatitude: m('3054:126', 'hexF32'),
  ixiaSrcLongitude: m('3054:127', 'hexF32'),
  ixiaDstLatitude: m('3054:146', 'hexF32'),
  ixiaDstLongitude: m('3054:147', 'hexF32'),
  ixiaDeviceId: m('3054:160', 'hexUint'),
  ixiaDeviceName: m('3054:161', 'hexStr'),
  ixiaBrowserId: m('3054:162', 'hexUint'),
  ixiaBrowserName: m('3054:163', 'hexStr'),
  ixiaRevOctetDeltaCount: m('3054:176', 'hexUint'),
  ixiaRevPacketDeltaCount: m('3054:177', 'hexUint'),
  ixiaHttpUserAgent: m('3054:182', 'hexStr'),
  ixiaHttpHostName: m('3054:183', 'hexStr'),
  ixiaHttpUri: m('3054:184', 'hexStr'),
  ixiaSrcAsName: m('3054:186', 'hexStr'),
  ixiaDstAsName: m('3054:187', 'hexStr'),
  ixiaLatency: m('3054:188', 'hexUint'),
  ixiaThreatType: m('3054:192', 'hexStr'),
  ixiaThreatIPv4: m('3054:193', 'hexIp4'),
};

/**
 * flowmap fields that logstash drops (its dictionaries mark them `skip`): IPFIX padding and RFC 6313 structured
 * data; NetFlow v9 types 0, 43 (ipv4RouterSc), 51 (classId) and 65-69 (vendor reserved). A compared event may lack
 * them; any other flowmap field must be matched by a golden field.
 */
export const LOGSTASH_SKIPPED =
  /^(paddingOctets|basicList|subTemplateList|subTemplateMultiList|ipv4RouterSc|classId|0:0|0:6[5-9])(#\d+)?$/;

/**
 * Data sets whose template was not announced by an earlier set of the same files (fed in order): what
 * `template-missing` must count. An independent walk of set headers and template record headers.
 */
export function setsWithoutTemplate(packets: readonly Uint8Array[]): number {
  const known = new Set<string>();
  let missing = 0;
  for (const bytes of packets) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const version = view.getUint16(0);
    if (version !== 9 && version !== 10) continue;
    const ipfix = version === 10;
    const domain = view.getUint32(ipfix ? 12 : 16);
    for (let pos = ipfix ? 16 : 20; pos + 4 <= bytes.length; ) {
      const [id, length] = [view.getUint16(pos), view.getUint16(pos + 2)];
      if (length < 4) break;
      const end = Math.min(pos + length, bytes.length);
      const options = id === (ipfix ? 3 : 1);
      if (id === (ipfix ? 2 : 0) || options) {
        for (let p = pos + 4; p + 6 <= end; ) {
          const [tid, count] = [view.getUint16(p), view.getUint16(p + 2)];
          if (tid < 256) break;
          known.add(`${domain}|${tid}`);
          if (!ipfix && options) p += 6 + count + view.getUint16(p + 4);
          else {
            p += options ? 6 : 4;
            for (let i = 0; i < count && p + 4 <= end; i++) p += ipfix && view.getUint16(p) & 0x8000 ? 8 : 4;
          }
        }
      } else if (id >= 256 && !known.has(`${domain}|${id}`)) missing++;
      pos += length;
    }
  }
  return missing;
}
