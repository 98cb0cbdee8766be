#include "services/common/kafka/producer.h"

#include <future>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/process/thread_name.h"

namespace tiendo::kafka {
namespace {

// A DeliveryCallback of its own record, gone once it has reported.
class CallbackReceiver final : public DeliveryReceiver {
 public:
  explicit CallbackReceiver(Producer::DeliveryCallback done) : done_(std::move(done)) {}

  void Delivered(absl::StatusOr<RecordPosition> position) override {
    done_(std::move(position));
    delete this;
  }

 private:
  const Producer::DeliveryCallback done_;
};

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
  auto* receiver = static_cast<DeliveryReceiver*>(message->_private);
  if (receiver == nullptr) return;
  std::string topic = rd_kafka_topic_name(message->rkt);
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    receiver->Delivered(absl::UnavailableError(absl::StrCat(
        "record to ", topic, " not delivered: ", rd_kafka_err2str(message->err))));
    return;
  }
  receiver->Delivered(RecordPosition{std::move(topic), message->partition, message->offset});
}

}  // namespace

absl::StatusOr<std::unique_ptr<Producer>> Producer::Create(
    const KafkaOptions& options, const std::string& client_id,
    const std::map<std::string, std::string>& settings) {
  std::map<std::string, std::string> merged = {
      {"enable.idempotence", "true"}, {"acks", "all"}, {"linger.ms", "5"}};
  for (const auto& [key, value] : settings) merged[key] = value;
  absl::StatusOr<ConfPtr> conf = MakeConf(options, client_id, merged);
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_dr_msg_cb(conf->get(), OnDelivery);
  char error[512];
  rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), error, sizeof(error));
  if (handle == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("kafka producer ", client_id, ": ", error));
  }
  conf->release();
  return std::unique_ptr<Producer>(new Producer(HandlePtr(handle)));
}

Producer::Producer(HandlePtr handle) : handle_(std::move(handle)) {
  poller_ = std::thread([this] {
    process::NameThisThread("kafka-reports");
    ServeDeliveryReports();
  });
}

Producer::~Producer() {
  stopping_ = true;
  poller_.join();
  // Whatever is still queued fails now rather than after message.timeout.ms;
  // the flush serves the purged records' reports, so every callback runs.
  rd_kafka_purge(handle_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  rd_kafka_flush(handle_.get(), 2000);
}

void Producer::ServeDeliveryReports() {
  while (!stopping_) rd_kafka_poll(handle_.get(), 100);
}

int Producer::OutstandingRecords() const { return rd_kafka_outq_len(handle_.get()); }

void Producer::TopicDeleter::operator()(rd_kafka_topic_t* topic) const {
  rd_kafka_topic_destroy(topic);
}

absl::StatusOr<rd_kafka_topic_t*> Producer::TopicHandle(const std::string& topic) {
  {
    absl::ReaderMutexLock lock(&topics_mu_);
    if (auto found = topics_.find(topic); found != topics_.end()) return found->second.get();
  }
  absl::MutexLock lock(&topics_mu_);
  TopicPtr& handle = topics_[topic];
  if (handle == nullptr) {
    handle.reset(rd_kafka_topic_new(handle_.get(), topic.c_str(), nullptr));
    if (handle == nullptr) {
      const rd_kafka_resp_err_t err = rd_kafka_last_error();
      topics_.erase(topic);
      return absl::InvalidArgumentError(
          absl::StrCat("record to ", topic, " not queued: ", rd_kafka_err2str(err)));
    }
  }
  return handle.get();
}

absl::Status Producer::Produce(const OutgoingRecord& record, DeliveryCallback done) {
  auto* receiver = new CallbackReceiver(std::move(done));
  absl::Status queued = Produce(record, *receiver);
  if (!queued.ok()) delete receiver;  // it never reports
  return queued;
}

absl::Status Producer::Produce(const OutgoingRecord& record, DeliveryReceiver& receiver) {
  absl::StatusOr<rd_kafka_topic_t*> topic = TopicHandle(record.topic);
  if (!topic.ok()) return topic.status();
  rd_kafka_headers_t* headers = rd_kafka_headers_new(record.headers.size());
  for (const Header& header : record.headers) {
    rd_kafka_header_add(headers, header.key.data(), static_cast<ssize_t>(header.key.size()),
                        header.value.data(), static_cast<ssize_t>(header.value.size()));
  }
  rd_kafka_vu_t fields[6];
  fields[0].vtype = RD_KAFKA_VTYPE_RKT;
  fields[0].u.rkt = *topic;
  fields[1].vtype = RD_KAFKA_VTYPE_KEY;
  fields[1].u.mem = {const_cast<char*>(record.key.data()), record.key.size()};
  fields[2].vtype = RD_KAFKA_VTYPE_VALUE;
  if (record.value.has_value()) {
    fields[2].u.mem = {const_cast<char*>(record.value->data()), record.value->size()};
  } else {
    fields[2].u.mem = {nullptr, 0};
  }
  fields[3].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
  fields[3].u.i = RD_KAFKA_MSG_F_COPY;
  fields[4].vtype = RD_KAFKA_VTYPE_HEADERS;
  fields[4].u.headers = headers;
  fields[5].vtype = RD_KAFKA_VTYPE_OPAQUE;
  fields[5].u.ptr = &receiver;
  rd_kafka_error_t* error = rd_kafka_produceva(handle_.get(), fields, 6);
  if (error != nullptr) {
    const rd_kafka_resp_err_t err = rd_kafka_error_code(error);
    rd_kafka_error_destroy(error);
    // On failure the headers are still ours.
    rd_kafka_headers_destroy(headers);
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      return absl::ResourceExhaustedError(
          absl::StrCat("kafka producer queue is full; record to ", record.topic, " not queued"));
    }
    return absl::UnavailableError(
        absl::StrCat("record to ", record.topic, " not queued: ", rd_kafka_err2str(err)));
  }
  return absl::OkStatus();
}

absl::StatusOr<RecordPosition> Producer::ProduceAndWait(const OutgoingRecord& record,
                                                        absl::Duration timeout) {
  auto promise = std::make_shared<std::promise<absl::StatusOr<RecordPosition>>>();
  std::future<absl::StatusOr<RecordPosition>> report = promise->get_future();
  if (absl::Status queued = Produce(record, [promise](absl::StatusOr<RecordPosition> result) {
        promise->set_value(std::move(result));
      });
      !queued.ok()) {
    return queued;
  }
  if (report.wait_for(absl::ToChronoMilliseconds(timeout)) != std::future_status::ready) {
    return absl::DeadlineExceededError(absl::StrCat("record to ", record.topic,
                                                    ": no delivery report within ",
                                                    absl::FormatDuration(timeout)));
  }
  return report.get();
}

absl::Status Producer::Flush(absl::Duration timeout) {
  const rd_kafka_resp_err_t err =
      rd_kafka_flush(handle_.get(), static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (err == RD_KAFKA_RESP_ERR__TIMED_OUT) {
    return absl::DeadlineExceededError(absl::StrCat(OutstandingRecords(),
                                                    " records still undelivered after ",
                                                    absl::FormatDuration(timeout)));
  }
  return absl::OkStatus();
}

}  // namespace tiendo::kafka
